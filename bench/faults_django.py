"""The Django side of `make faults`, run as `python bench/faults_django.py COMMAND` with the fault test's production
environment (its private PostgreSQL and Redis). Reads JSON on stdin when it needs input; prints one JSON line.

people N   N members of staff, each signed in (a session in the portal's own session store, as bench/probe.py makes
           them), and the quiz's correct option ids, so the clients can pass and go on to the declaration.
check      given the references, attempt ids and sink messages the clients saw, what the database holds of them.
drained    how many emails the outbox still has queued (the worker is done when none are).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from bench.probe import session_cookie  # noqa: E402


def people(count: str) -> dict:
    from assessments.models import Option
    from directory.models import Department
    from portal.models import User

    department, _created = Department.objects.get_or_create(
        code="FLT", defaults={"name_en": "Fault test", "name_cy": "Prawf diffygion"}
    )
    first = User.objects.filter(username__startswith="fault").count()
    users = User.objects.bulk_create(
        User(
            username=f"fault{n:05d}",
            staff_number=f"F{n:05d}",
            first_name=f"Person{n}",
            last_name="Fault",
            email=f"fault{n:05d}@example.gov.wales",
            department=department,
            preferred_language="cy" if n % 4 == 0 else "en",
            password="!",  # unusable: they are signed in by session, as single sign-on would do
        )
        for n in range(first, first + int(count))
    )
    users = User.objects.filter(username__in=[user.username for user in users]).order_by("pk")
    return {
        "people": [
            {"id": user.pk, "language": user.preferred_language, "cookie": session_cookie(user)} for user in users
        ],
        "correct": list(Option.objects.filter(is_correct=True).values_list("pk", flat=True)),
        "urls": {language: urls(language) for language in ("en", "cy")},
    }


def urls(language: str) -> dict:
    """The pages a person reads and the quiz and declaration, in one language (Welsh paths come from the catalogue)."""
    from django.urls import reverse
    from django.utils.translation import override

    from guidance.models import GuidanceVersion, Principle

    version = GuidanceVersion.objects.latest_published()
    with override(language):
        sections = [
            reverse("guidance:section", kwargs={"slug": section.slug})
            for section in version.sections.order_by("pk")[:2]
        ]
        principle = Principle.objects.order_by("number").first()
        return {
            "read": [f"/{language}/", reverse("guidance:contents"), *sections, principle.get_absolute_url()],
            "quiz": reverse("assessments:quiz-start"),
            "declaration": reverse("assessments:declaration"),
            # Patterns for the quiz's own pages: the ids stand in for an attempt's and a question's numbers.
            "question": reverse("assessments:quiz-question", kwargs={"attempt": 1111111, "position": 2222222}),
            "check": reverse("assessments:quiz-check", kwargs={"attempt": 1111111}),
            "results": reverse("assessments:quiz-results", kwargs={"attempt": 1111111}),
        }


def check() -> dict:
    """Per the clients' own view (stdin: references, attempts, person ids and the sink's Message-IDs)."""
    from assessments.models import Acknowledgement, Attempt
    from outbox.models import OutgoingEmail

    seen = json.load(sys.stdin)
    references, attempts, person_ids = seen["references"], seen["attempts"], seen["person_ids"]
    stored = dict(
        Acknowledgement.objects.filter(reference__in=references)
        .values_list("reference")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_person = Acknowledgement.objects.filter(user_id__in=person_ids).values("user_id", "cycle_id",
                                                                                "guidance_version_id")  # fmt: skip
    acknowledgement_twice = (
        per_person.annotate(n=Count("pk")).filter(n__gt=1).count() if person_ids else 0
    )  # the unique constraint should make this 0
    receipts = {}
    for about, message_id in OutgoingEmail.objects.filter(
        kind=OutgoingEmail.Kind.RECEIPT, about__in=references
    ).values_list("about", "message_id"):
        receipts.setdefault(about, []).append(message_id)
    sink = {}
    for message_id in seen["sink_message_ids"]:
        sink[message_id] = sink.get(message_id, 0) + 1
    submitted = set(
        Attempt.objects.filter(pk__in=attempts, status=Attempt.Status.SUBMITTED).values_list("pk", flat=True)
    )
    submitted_per_person = dict(
        Attempt.objects.filter(user_id__in=person_ids, status=Attempt.Status.SUBMITTED)
        .values_list("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # Receipts the worker had to try more than once: the ones the mail outage (or the database's) really held up.
    retried = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.RECEIPT, about__in=references, attempts__gt=1)
    statuses = dict(OutgoingEmail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "acknowledgements_lost": sum(1 for ref in references if stored.get(ref, 0) == 0),
        "acknowledgements_duplicated": sum(max(n - 1, 0) for n in stored.values()) + acknowledgement_twice,
        "receipts_lost": sum(1 for ref in references if not any(sink.get(m) for m in receipts.get(ref, []))),
        "receipts_duplicated": sum(max(len(receipts.get(ref, [])) - 1, 0) for ref in references)
        + sum(max(sink.get(m, 0) - 1, 0) for ref in references for m in receipts.get(ref, [])),
        "attempts_lost": sum(1 for pk in attempts if pk not in submitted),
        "attempts_duplicated": sum(max(n - 1, 0) for n in submitted_per_person.values()),
        "receipts_retried": retried.count(),
        "outbox": statuses,
    }


def drained() -> dict:
    from outbox.models import OutgoingEmail

    return {"queued": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).count()}


def hr() -> dict:
    """An HR officer signed in, for the hostile uploads (bench/faults_uploads.py)."""
    from django.contrib.auth.models import Group

    from portal.models import User
    from portal.roles import HR

    officer, _created = User.objects.get_or_create(
        username="fault.hr", defaults={"email": "fault.hr@example.gov.wales", "password": "!"}
    )
    officer.groups.add(Group.objects.get(name=HR))
    return {"cookie": session_cookie(officer)}


COMMANDS = {"people": people, "check": check, "drained": drained, "hr": hr}

if __name__ == "__main__":
    name, *args = sys.argv[1:]
    print(json.dumps(COMMANDS[name](*args)))
