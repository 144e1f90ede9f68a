"""Every URL the project defines × every role → what that person gets. A new URL without a row fails here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import override

from assessments.models import Acknowledgement, Attempt
from assessments.services import start_attempt, submit_attempt
from cycles.services import exempt_person
from directory.models import StaffImport
from guidance.services import start_draft
from legal.services import load_legal_pages
from outbox.background import run_job, start_job
from outbox.models import BackgroundJob

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory, acknowledge_after_reading

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "staff", "manager", "hr", "editor")
SIGN_IN = "sign-in"  # redirected to the sign-in page
OWN = "own"  # the person's own record: 200 for its owner (staff), 404 for everyone else

# name -> expected status per role, in the order of ROLES
MATRIX = {
    "root": (302, 302, 302, 302, 302),
    "healthz": (200, 200, 200, 200, 200),
    "readyz": (200, 200, 200, 200, 200),
    # Prometheus's: allowed networks only, signed in or not (the test client's 127.0.0.1 is allowed by default);
    # tests/observability/test_metrics.py checks the refusals.
    "metrics": (200, 200, 200, 200, 200),
    "switch-language": (405, 405, 405, 405, 405),  # POST only: see tests/portal/test_language.py
    "portal:home": (SIGN_IN, 200, 200, 200, 200),
    "portal:sign-in": (200, 302, 302, 302, 302),
    "portal:sign-out": (SIGN_IN, 405, 405, 405, 405),
    "portal:my-data": (SIGN_IN, 200, 200, 200, 200),
    # Single sign-on is off here; tests/portal/test_single_sign_on.py drives these against a real provider.
    "oidc_authentication_init": (404, 404, 404, 404, 404),
    "oidc_authentication_callback": (404, 404, 404, 404, 404),
    "portal:sso-refused": (404, 404, 404, 404, 404),
    "guidance:contents": (SIGN_IN, 200, 200, 200, 200),
    "guidance:print": (SIGN_IN, 200, 200, 200, 200),
    "guidance:principles": (SIGN_IN, 200, 200, 200, 200),
    "guidance:principle": (SIGN_IN, 200, 200, 200, 200),
    "guidance:section": (SIGN_IN, 200, 200, 200, 200),
    "guidance:version-contents": (SIGN_IN, 200, 200, 200, 200),
    "guidance:version-print": (SIGN_IN, 200, 200, 200, 200),
    "guidance:version-section": (SIGN_IN, 200, 200, 200, 200),
    "guidance:changes": (SIGN_IN, 200, 200, 200, 200),
    "guidance:version-changes": (SIGN_IN, 200, 200, 200, 200),
    "guidance:draft-contents": (SIGN_IN, 404, 404, 404, 200),
    "assessments:quiz-start": (SIGN_IN, 200, 200, 200, 200),
    "assessments:quiz-question": (SIGN_IN, OWN, 404, 404, 404),
    "assessments:quiz-check": (SIGN_IN, OWN, 404, 404, 404),
    "assessments:quiz-results": (SIGN_IN, OWN, 404, 404, 404),
    "assessments:declaration": (SIGN_IN, 302, 302, 302, 302),
    "assessments:confirmation": (SIGN_IN, OWN, 404, 404, 404),
    "assessments:confirmation-pdf": (SIGN_IN, OWN, 404, 404, 404),
    "assessments:record": (SIGN_IN, 200, 200, 200, 200),
    "reporting:my-team": (SIGN_IN, 403, 200, 403, 403),
    "reporting:team-chase": (SIGN_IN, 403, 405, 403, 403),  # POST only; tests/reports/test_chasing.py posts
    "reporting:team-chase-send": (SIGN_IN, 403, 405, 403, 403),
    "reporting:dashboard": (SIGN_IN, 403, 403, 200, 403),
    # HR's download made by the worker: only the person who asked (HR here) sees it; anyone else, HR or not, 404.
    "outbox:job-progress": (SIGN_IN, 404, 404, 200, 404),
    "outbox:job-file": (SIGN_IN, 404, 404, 200, 404),
    "reporting:staff": (SIGN_IN, 403, 403, 200, 403),
    "reporting:chase": (SIGN_IN, 403, 403, 405, 403),  # POST only; tests/reports/test_chasing.py posts
    "reporting:chase-send": (SIGN_IN, 403, 403, 405, 403),
    "reporting:download": (SIGN_IN, 403, 403, 200, 403),
    # The confirmation page (the current cycle's says why it cannot be closed); editors may edit cycles, not close them.
    "reporting:close-cycle": (SIGN_IN, 403, 403, 200, 403),
    "reporting:statistics": (SIGN_IN, 403, 403, 403, 200),
    "reporting:statistics-download": (SIGN_IN, 403, 403, 403, 200),
    "directory:import": (SIGN_IN, 403, 403, 200, 403),
    "directory:import-template": (SIGN_IN, 403, 403, 200, 403),
    "directory:import-columns": (SIGN_IN, 403, 403, 200, 403),
    "directory:import-preview": (SIGN_IN, 403, 403, 200, 403),
    "directory:import-cancel": (SIGN_IN, 403, 403, 405, 403),
    "reporting:exemptions": (SIGN_IN, 403, 403, 200, 403),
    "reporting:exemption-add": (SIGN_IN, 403, 403, 200, 403),
    "reporting:exemption-end": (SIGN_IN, 403, 403, 200, 403),  # asks first; the POST ends it
    "reporting:exemption-undo": (SIGN_IN, 403, 403, 405, 403),  # POST only; tests/cycles/test_exemption_ending.py posts
    "reporting:reminders": (SIGN_IN, 403, 403, 200, 403),
    "reporting:reminder-history": (SIGN_IN, 403, 403, 200, 403),
    # The pages the law requires are readable before signing in (and by someone who cannot sign in).
    "legal:accessibility": (200, 200, 200, 200, 200),
    "legal:privacy": (200, 200, 200, 200, 200),
    # SCIM answers only to a provisioning token (tests/directory/test_scim.py); a session is never enough.
    "scim:root": (401, 401, 401, 401, 401),
    "scim:endpoint": (401, 401, 401, 401, 401),
    "admin:index": (SIGN_IN, 403, 403, 403, 200),
}


def defined_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                yield "admin:index"
                continue
            yield from defined_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_row():
    names = set(defined_url_names())
    missing = names - set(MATRIX) - {"guidance:draft-contents"}
    assert missing == set(), f"add these URLs to the access matrix: {sorted(missing)}"


@pytest.fixture
def world(content, cycle, staff, manager, hr, editor):
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    record, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    open_attempt = start_attempt(user=staff, cycle=cycle, language="en")  # a retake, so question pages show
    draft = start_draft()
    staff_import = StaffImport.objects.create(
        uploaded_by=hr, filename="staff.csv", table={"headings": ["staff_number"], "rows": [["1"]]}
    )
    download = start_job(kind=BackgroundJob.Kind.STAFF_CSV, by=hr, params={"cycle": cycle.pk}, language="en")
    run_job(download.pk)
    load_legal_pages()
    exemption = exempt_person(person=UserFactory(), cycle=cycle, reason="career_break", ends_on=cycle.due_on, by=hr)
    return {
        "people": {"anonymous": None, "staff": staff, "manager": manager, "hr": hr, "editor": editor},
        "kwargs": {
            "switch-language": {"language": "cy"},
            "guidance:principle": {"slug": "propriety"},
            "guidance:section": {"slug": "introduction"},
            "guidance:version-contents": {"number": 1},
            "guidance:version-print": {"number": 1},
            "guidance:version-section": {"number": 1, "slug": "introduction"},
            "guidance:version-changes": {"number": 1},
            "assessments:quiz-question": {"attempt": open_attempt.pk, "position": 1},
            "assessments:quiz-check": {"attempt": open_attempt.pk},
            "assessments:quiz-results": {"attempt": attempt.pk},
            "assessments:confirmation": {"reference": record.reference},
            "assessments:confirmation-pdf": {"reference": record.reference},
            "directory:import-columns": {"pk": staff_import.pk},
            "scim:endpoint": {"path": "Users"},
            "directory:import-preview": {"pk": staff_import.pk},
            "directory:import-cancel": {"pk": staff_import.pk},
            "reporting:exemption-end": {"pk": exemption.pk},
            "reporting:exemption-undo": {"pk": exemption.pk},
            "reporting:reminder-history": {"pk": staff.pk},
            "reporting:close-cycle": {"pk": cycle.pk},
            "outbox:job-progress": {"pk": download.pk},
            "outbox:job-file": {"pk": download.pk},
        },
        "draft": draft,
        "open_attempt": open_attempt,
    }


def _url(name, world):
    # Requests to unprefixed URLs leave the client's language (Welsh, after the switch) active in this thread.
    with override("en"):
        return _english_url(name, world)


def _english_url(name, world):
    if name == "guidance:draft-contents":
        return reverse("guidance:version-contents", kwargs={"number": world["draft"].number})
    url = reverse(name, kwargs=world["kwargs"].get(name, {}))
    if name == "switch-language":
        url += "?next=/en/"
    return url


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access_matrix(client, world, role_index):
    role = ROLES[role_index]
    person = world["people"][role]
    if person:
        client.force_login(person)
    for name, expected_by_role in MATRIX.items():
        expected = expected_by_role[role_index]
        if expected == OWN:
            expected = 200 if role == "staff" else 404
        response = client.get(_url(name, world))
        if expected == SIGN_IN:
            assert response.status_code == 302, (role, name)
            assert "/sign-in/" in response["Location"], (role, name)
        else:
            assert response.status_code == expected, (role, name, response.status_code)


def test_staff_can_never_see_another_persons_attempts_or_acknowledgements(client, world):
    intruder = UserFactory()
    client.force_login(intruder)
    for attempt in Attempt.objects.exclude(user=intruder):
        assert client.get(reverse("assessments:quiz-results", kwargs={"attempt": attempt.pk})).status_code == 404
        assert client.get(reverse("assessments:quiz-check", kwargs={"attempt": attempt.pk})).status_code == 404
        assert client.post(reverse("assessments:quiz-check", kwargs={"attempt": attempt.pk})).status_code == 404
    for record in Acknowledgement.objects.all():
        assert (
            client.get(reverse("assessments:confirmation", kwargs={"reference": record.reference})).status_code == 404
        )
    page = client.get(reverse("assessments:record")).content.decode()
    for record in Acknowledgement.objects.all():
        assert record.reference not in page


@pytest.mark.parametrize("url", ["/en/hr/", "/en/hr/staff/", "/en/hr/download/?format=csv", "/en/hr/import/"])
def test_non_hr_get_403_on_every_hr_page_whatever_the_method(client, world, url):
    for role in ("staff", "manager", "editor"):
        client.force_login(world["people"][role])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code in (403, 405)
