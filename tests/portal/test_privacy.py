"""People see only their own records: every personal page and download, with a second person's attempts,
declarations, reminders and reading in the database, shows none of them."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from assessments.models import Acknowledgement, Attempt
from assessments.services import start_attempt, submit_attempt
from guidance.models import SectionRead
from outbox.services import queue_email

from ..assessments.test_quiz import answer_all
from ..factories import CycleFactory, UserFactory, acknowledge_after_reading
from .test_access_matrix import MATRIX, OWN

pytestmark = pytest.mark.django_db

# Every page that shows a person's own records, and how to reach the owner's copy of it.
PERSONAL_PAGES = {
    "portal:home": lambda own: {},
    "portal:my-data": lambda own: {},
    "assessments:record": lambda own: {},
    "assessments:quiz-start": lambda own: {},
    "assessments:declaration": lambda own: {},
    "assessments:confirmation": lambda own: {"reference": own["acknowledgement"].reference},
    "assessments:confirmation-pdf": lambda own: {"reference": own["acknowledgement"].reference},  # a download
    "assessments:quiz-results": lambda own: {"attempt": own["submitted"].pk},
    "assessments:quiz-check": lambda own: {"attempt": own["open"].pk},
    "assessments:quiz-question": lambda own: {"attempt": own["open"].pk, "position": 1},
}


def test_every_page_only_its_owner_may_open_is_checked_here():
    owner_only = {name for name, expected in MATRIX.items() if OWN in expected}
    assert owner_only - set(PERSONAL_PAGES) == set(), "add these personal pages to PERSONAL_PAGES"


def _take_the_quiz(person, cycle, *, correct):
    attempt = start_attempt(user=person, cycle=cycle, language="en")
    answer_all(attempt, person, correct=correct)
    submit_attempt(user=person, attempt_id=attempt.pk, language="en")
    return attempt


@pytest.fixture
def two_people(content, cycle):
    """The owner, with their own records, and someone else with records of every kind: in the current cycle and in
    an old one whose name appears nowhere else."""
    owner = UserFactory(first_name="Owain", last_name="Owner")
    submitted = _take_the_quiz(owner, cycle, correct=6)
    acknowledgement, _created = acknowledge_after_reading(user=owner, cycle=cycle, version=content, language="en")
    open_attempt = start_attempt(user=owner, cycle=cycle, language="en")

    other = UserFactory(first_name="Olwen", last_name="Otherperson", staff_number="OTHER-777")
    old_cycle = CycleFactory(name="1999–00", is_current=False)
    other_records = []
    for current, other_cycle in ((old_cycle, cycle), (cycle, old_cycle)):  # declarations are made in an open cycle
        current.is_current = False
        current.save()
        other_cycle.is_current = True
        other_cycle.save()
        _take_the_quiz(other, other_cycle, correct=6)
        record, _created = acknowledge_after_reading(user=other, cycle=other_cycle, version=content, language="en")
        other_records.append(record)
        queue_email(
            to=other.email,
            subject=f"Reminder: {other_cycle.name}",
            body="Please complete the guidance.",
            kind="reminder",
            recipient=other,
        )
    start_attempt(user=other, cycle=old_cycle, language="en")
    old_cycle.is_current = False
    old_cycle.save()
    cycle.is_current = True
    cycle.save()
    SectionRead.objects.bulk_create(SectionRead(user=other, section=section) for section in content.sections.all())
    return {
        "owner": owner,
        "own": {"submitted": submitted, "acknowledgement": acknowledgement, "open": open_attempt},
        "other": other,
        "other_markers": [
            *(record.reference for record in other_records),
            old_cycle.name,
            other.last_name,
            other.staff_number,
            other.email,
        ],
        "other_sha256": [record.content_sha256 for record in other_records],
    }


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("name", sorted(PERSONAL_PAGES))
def test_a_personal_page_shows_nothing_of_anyone_else(client, two_people, name, language):
    client.force_login(two_people["owner"])
    with override(language):
        url = reverse(name, kwargs=PERSONAL_PAGES[name](two_people["own"]))
    response = client.get(url, follow=True)
    assert response.status_code == 200, (name, response.redirect_chain)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    page = body.decode("utf-8", "replace")
    leaked = [marker for marker in two_people["other_markers"] if marker in page]
    assert leaked == [], f"{name} shows another person's records: {leaked}"


def test_your_data_and_your_record_show_the_owners_own_records(client, two_people):
    """The other half of the check above: the pages are not simply empty."""
    client.force_login(two_people["owner"])
    reference = two_people["own"]["acknowledgement"].reference
    for url in ("/en/your-data/", "/en/your-record/"):
        page = client.get(url).content.decode()
        assert reference in page
    my_data = client.get("/en/your-data/").content.decode()
    assert my_data.count("6 out of 6") == 1  # the owner's one submitted attempt, not the other person's two


@pytest.mark.parametrize(
    "name",
    ["assessments:confirmation", "assessments:confirmation-pdf", "assessments:quiz-results", "assessments:quiz-check"],
)
def test_another_persons_record_is_not_found(client, two_people, name):
    other = two_people["other"]
    their = {
        "acknowledgement": Acknowledgement.objects.filter(user=other).first(),
        "submitted": Attempt.objects.filter(user=other, status="submitted").first(),
        "open": Attempt.objects.get(user=other, status="in_progress"),
    }
    client.force_login(two_people["owner"])
    with override("en"):
        url = reverse(name, kwargs=PERSONAL_PAGES[name](their))
    assert client.get(url).status_code == 404
