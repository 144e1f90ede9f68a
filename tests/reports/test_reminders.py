import pytest
from django.core import mail
from django.core.management import call_command

from assessments.models import Reminder
from assessments.reminders import send_reminders
from outbox.models import OutgoingEmail

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reminders_go_to_outstanding_people_in_their_language(content, cycle, deliver_outbox):
    done = UserFactory()
    from .conftest import complete

    complete(done, cycle, content)
    deliver_outbox()
    mail.outbox.clear()  # the receipt for the declaration
    welsh = UserFactory(preferred_language="cy")
    english = UserFactory(preferred_language="en")
    send_reminders(cycle=cycle)
    deliver_outbox()
    recipients = {message.to[0]: message for message in mail.outbox}
    assert done.email not in recipients
    assert recipients[welsh.email].body.index("Annwyl") < recipients[welsh.email].body.index("Dear")
    assert recipients[english.email].body.index("Dear") < recipients[english.email].body.index("Annwyl")


def test_reminders_are_sent_at_most_once_a_week(content, cycle, deliver_outbox):
    person = UserFactory()
    send_reminders(cycle=cycle)
    deliver_outbox()
    send_reminders(cycle=cycle)
    deliver_outbox()
    assert [message.to for message in mail.outbox].count([person.email]) == 1
    assert Reminder.objects.filter(user=person).count() == 1


def test_line_managers_get_one_summary(content, cycle, deliver_outbox):
    boss = UserFactory()
    team = [UserFactory(line_manager=boss) for _index in range(3)]
    send_reminders(cycle=cycle)
    deliver_outbox()
    summaries = [message for message in mail.outbox if message.to == [boss.email] and "team" in message.body]
    assert len(summaries) == 1
    for person in team:
        assert person.last_name in summaries[0].body


def test_dry_run_sends_nothing(content, cycle, capsys):
    UserFactory()
    call_command("send_reminders", "--dry-run")
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0
    assert Reminder.objects.count() == 0
    assert "Would send" in capsys.readouterr().out
