"""Publishing shows its consequence first: how many people who completed this cycle must confirm again, what completion
becomes and who is told, in both languages, confirmed with a required box; then those people are emailed."""

import html

import pytest
from django.core import mail

from assessments.new_version import email_people_asked_again
from guidance.models import GuidanceVersion
from outbox.models import OutgoingEmail

from ..factories import CycleFactory, UserFactory
from ..reporting.conftest import complete
from .test_admin import UNDERSTOOD, publish_url, with_summaries
from .test_changes import security_rewritten

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(content, editor):
    """The open cycle: 6 people counted (the editor is staff too), 2 of them completed (one prefers Welsh), 1 more
    completed but exempt now (not counted, not emailed)."""
    cycle = CycleFactory(is_current=True)
    english = UserFactory(preferred_language="en", email="ann@gov.wales")
    welsh = UserFactory(preferred_language="cy", email="bethan@gov.wales")
    for person in (english, welsh):
        complete(person, cycle, content)
    UserFactory.create_batch(3)
    away = UserFactory(email="away@gov.wales")
    complete(away, cycle, content)
    from cycles.services import exempt_person

    exempt_person(person=away, cycle=cycle, reason="career_break", ends_on=cycle.due_on, by=editor)
    return {"cycle": cycle, "english": english, "welsh": welsh, "away": away}


def test_the_publish_page_says_what_publishing_will_do_in_both_languages(client, editor, year):
    draft = security_rewritten(major=True, publish=False)
    client.force_login(editor)
    page = html.unescape(client.get(publish_url(draft)).content.decode())
    cycle = year["cycle"].name
    assert f"2 people have completed {cycle} and will need to read what changed and confirm again." in page
    assert f"Completion of {cycle} will go from 33% (2 of 6 people) to 0% until they do." in page
    assert "asking them to read what changed and confirm: 2 emails. Nobody else is emailed." in page
    assert (
        f"Mae 2 berson wedi cwblhau {cycle} a bydd angen iddynt ddarllen beth sydd wedi newid a chadarnhau eto." in page
    )
    assert 'name="consequence_understood" value="yes" id="consequence_understood" required' in page
    assert "I understand that 2 people will need to confirm again and will be emailed" in page


def test_a_minor_version_says_nobody_is_asked_or_emailed(client, editor, year):
    draft = security_rewritten(major=False, publish=False)
    client.force_login(editor)
    page = html.unescape(client.get(publish_url(draft)).content.decode())
    assert f"Completion of {year['cycle'].name} stays at 33% (2 of 6 people). Nobody is emailed." in page
    client.post(publish_url(draft), UNDERSTOOD)
    assert GuidanceVersion.objects.get(pk=draft.pk).is_published
    assert not OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEW_VERSION).exists()


def test_publishing_needs_the_box_ticked(client, editor, year):
    draft = security_rewritten(major=True, publish=False)
    client.force_login(editor)
    response = client.post(publish_url(draft))
    assert response.status_code == 400
    assert "Tick the box to confirm that you have read what publishing will do." in html.unescape(
        response.content.decode()
    )
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_people_asked_again_are_emailed_in_their_language(
    client, editor, year, deliver_outbox, django_capture_on_commit_callbacks
):
    draft = security_rewritten(major=True, publish=False)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(publish_url(draft), UNDERSTOOD).status_code == 302
    deliver_outbox()  # the worker runs the job publishing left it, then sends what it queued
    told = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEW_VERSION)
    # Not the exempt person, nor anyone who had not completed; each message sent.
    assert sorted(told.values_list("to_address", "status")) == [("ann@gov.wales", "sent"), ("bethan@gov.wales", "sent")]
    delivered = {(message.to[0], message.subject) for message in mail.outbox}
    subjects = dict(told.values_list("to_address", "subject"))
    assert set(subjects.items()) <= delivered
    assert subjects["ann@gov.wales"] == (
        "The social media guidance has changed: read what changed and confirm version 2"
    )
    assert subjects["bethan@gov.wales"].startswith("Mae'r canllawiau")
    welsh_body = told.get(to_address="bethan@gov.wales").body
    assert "/cy/canllawiau/beth-sydd-wedi-newid/" in welsh_body and "/en/guidance/what-changed/" in welsh_body
    # The job run again (a worker restarted mid-way) emails nobody twice.
    assert email_people_asked_again(version=GuidanceVersion.objects.get(number=2), cycle=year["cycle"]) == 0
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.NEW_VERSION).count() == 2


def test_with_no_open_cycle_nobody_is_affected(client, editor, content):
    draft = with_summaries(security_rewritten(major=True, publish=False))
    client.force_login(editor)
    page = html.unescape(client.get(publish_url(draft)).content.decode())
    assert "There is no open cycle: nobody’s figures change and nobody is emailed." in page
