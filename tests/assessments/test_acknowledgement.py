import hashlib
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from assessments.models import Acknowledgement, new_reference
from assessments.selectors import task_list
from assessments.services import start_attempt, submit_attempt
from guidance.models import version_text
from guidance.services import publish_version, start_draft

from ..factories import CycleFactory, UserFactory, acknowledge_after_reading, read_guidance
from .test_quiz import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(staff, cycle, content):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    read_guidance(user=staff, cycle=cycle, version=content)
    return submit_attempt(user=staff, attempt_id=attempt.pk, language="en")


def test_no_declaration_without_a_passing_attempt(staff, cycle, content):
    with pytest.raises(ValidationError, match="Pass the scenario questions"):
        acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=1)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    with pytest.raises(ValidationError):
        acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    assert Acknowledgement.objects.count() == 0


def test_a_pass_in_another_cycle_does_not_count(staff, content, passed, cycle):
    cycle.is_current = False
    cycle.save()
    new_cycle = CycleFactory(is_current=True)
    with pytest.raises(ValidationError):
        acknowledge_after_reading(user=staff, cycle=new_cycle, version=content, language="en")


def test_the_declaration_page_refuses_people_who_have_not_passed(client, staff, cycle, content):
    client.force_login(staff)
    response = client.get("/en/declaration/")
    assert response["Location"] == "/en/quiz/"
    assert client.post("/en/declaration/").status_code == 302
    assert Acknowledgement.objects.count() == 0


def test_confirming_twice_keeps_one_record(staff, cycle, content, passed):
    first, created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="cy")
    second, created_again = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    assert created and not created_again
    assert first.pk == second.pk
    assert Acknowledgement.objects.filter(user=staff).count() == 1


def test_the_record_holds_the_version_attempt_language_and_hash(staff, cycle, content, passed):
    record, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="cy")
    assert record.attempt == passed
    assert record.guidance_version == content
    assert record.language == "cy"
    assert record.content_sha256 == hashlib.sha256(version_text(content).encode()).hexdigest()
    assert record.reference.startswith("SMG-") and len(record.reference) == 13


def test_references_are_unique_and_readable_aloud():
    references = {new_reference() for _index in range(5000)}
    assert len(references) == 5000
    for reference in list(references)[:200]:
        assert not set(reference[4:].replace("-", "")) & set("0O1IL5S2Z")


def test_acknowledgements_cannot_be_changed_or_deleted(staff, cycle, content, passed):
    record, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    record.language = "cy"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    with pytest.raises(ValidationError):
        Acknowledgement.objects.filter(pk=record.pk).update(language="cy")
    with pytest.raises(ValidationError):
        Acknowledgement.objects.all().delete()
    assert Acknowledgement.objects.get(pk=record.pk).language == "en"


def test_the_admin_shows_acknowledgements_read_only(client, staff, cycle, content, passed):
    record, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/en/admin/assessments/acknowledgement/{record.pk}/change/"
    page = client.get(url).content.decode()
    assert record.reference in page
    assert 'name="_save"' not in page
    assert client.post(url, {"language": "cy"}).status_code == 403
    assert client.post(f"/en/admin/assessments/acknowledgement/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Acknowledgement.objects.get(pk=record.pk).language == "en"


def test_the_receipt_goes_in_the_preferred_language_with_the_other_below(welsh_staff, cycle, content, deliver_outbox):
    attempt = start_attempt(user=welsh_staff, cycle=cycle, language="cy")
    answer_all(attempt, welsh_staff, correct=6)
    submit_attempt(user=welsh_staff, attempt_id=attempt.pk, language="cy")
    record, _created = acknowledge_after_reading(user=welsh_staff, cycle=cycle, version=content, language="cy")
    assert mail.outbox == []  # queued with the declaration; the background worker sends it
    deliver_outbox()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [welsh_staff.email]
    assert record.reference in message.subject
    assert message.subject.startswith("Eich datganiad")
    welsh_at = message.body.index("Rydych wedi cadarnhau")
    english_at = message.body.index("You confirmed")
    assert welsh_at < english_at
    assert f"/cy/datganiad/{record.reference}/" in message.body


def test_declaration_journey_shows_the_confirmation_panel(client, staff, cycle, content, passed):
    client.force_login(staff)
    page = client.get("/en/declaration/").content.decode()
    assert (
        "I confirm that I have read and understood the guidance on using social and digital media, version 1, and will follow it."
        in page
    )
    response = client.post("/en/declaration/")
    record = Acknowledgement.objects.get()
    assert response["Location"] == f"/en/declaration/{record.reference}/"
    confirmation = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert record.reference in confirmation
    assert 'href="/en/guidance/version/1/"' in confirmation
    assert client.post("/en/declaration/")["Location"] == f"/en/declaration/{record.reference}/"
    assert Acknowledgement.objects.count() == 1
    record_page = client.get("/en/your-record/").content.decode()
    assert record.reference in record_page


def test_someone_elses_confirmation_is_not_found(client, staff, cycle, content, passed):
    record, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    client.force_login(UserFactory())
    assert client.get(f"/en/declaration/{record.reference}/").status_code == 404


def _publish_new_version(*, requires_reacknowledgement: bool):
    draft = start_draft()
    draft.requires_reacknowledgement = requires_reacknowledgement
    draft.change_summary_en = "Security now covers two-step verification."
    draft.change_summary_cy = "Mae diogelwch bellach yn cynnwys dilysu dau gam."
    draft.save()
    return publish_version(version=draft)


def test_a_major_version_asks_people_to_confirm_again(client, staff, cycle, content, passed):
    acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    assert task_list(user=staff, cycle=cycle).confirmation == "completed"
    new = _publish_new_version(requires_reacknowledgement=True)
    tasks = task_list(user=staff, cycle=cycle)
    assert tasks.confirmation == "confirm_again"
    client.force_login(staff)
    home = client.get("/en/").content.decode()
    assert "Confirm again" in home
    assert "Security now covers two-step verification." in home
    client.post("/en/declaration/")
    assert Acknowledgement.objects.filter(user=staff, guidance_version=new).exists()
    assert task_list(user=staff, cycle=cycle).confirmation == "completed"
    assert Acknowledgement.objects.filter(user=staff).count() == 2


def test_a_minor_version_leaves_acknowledgements_complete(staff, cycle, content, passed):
    acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    _publish_new_version(requires_reacknowledgement=False)
    assert task_list(user=staff, cycle=cycle).confirmation == "completed"


def test_overdue_people_see_a_warning(client, staff, content):
    from datetime import date

    CycleFactory(opens_on=date(2020, 4, 1), due_on=date(2021, 3, 31), is_current=True)
    client.force_login(staff)
    assert "You are overdue" in client.get("/en/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirmations_make_one_record(content):
    from django.db import connections

    staff = UserFactory()
    cycle = CycleFactory(is_current=True)
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    barrier = threading.Barrier(50)
    results, errors = [], []

    def confirm():
        try:
            barrier.wait()
            results.append(acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")[0].pk)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _index in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(results)) == 1
    assert Acknowledgement.objects.filter(user=staff).count() == 1


def test_a_reference_that_is_already_taken_is_replaced(staff, cycle, content, passed, monkeypatch):
    other = UserFactory()
    taken = Acknowledgement.objects.create(
        user=other, cycle=cycle, guidance_version=content, attempt=passed, language="en", content_sha256="x"
    )
    references = iter([taken.reference, "SMG-AAAA-BBBB"])
    monkeypatch.setattr(Acknowledgement._meta.get_field("reference"), "_get_default", lambda: next(references))
    record, created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    assert created and record.reference == "SMG-AAAA-BBBB"
