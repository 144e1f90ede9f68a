"""The Django side of `make fleet`, run as `python bench/fleet_django.py COMMAND` with the fleet's environment.
Prints one JSON line.

publish MARK    a new guidance version whose every section's text ends with MARK, published by the same service the
                editors' page calls (guidance.services.publish_version).
password_user   a member of staff with a known password, for the sign-in lockout step.
"""

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()


def publish(mark: str) -> dict:
    from guidance import services

    draft = services.start_draft()
    for section in draft.sections.all():
        section.body_en = f"{section.body_en}\n\n{mark}"
        section.body_cy = f"{section.body_cy}\n\n{mark}"
        section.save(update_fields=["body_en", "body_cy"])
        services.mark_welsh_reviewed(section=section)
    draft.change_summary_en = f"Fleet test {mark}"
    draft.change_summary_cy = f"Prawf fflyd {mark}"
    draft.save(update_fields=["change_summary_en", "change_summary_cy"])
    version = services.publish_version(version=draft)
    from django.utils.translation import override

    from guidance.views import section_url

    pages = []
    for language in ("en", "cy"):
        with override(language):
            pages += [section_url(section) for section in version.sections.all()]  # sections and principle pages
    return {"version": version.number, "pages": pages}


def password_user() -> dict:
    from portal.models import User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username=f"fleet{secrets.token_hex(3)}", email="fleet@example.gov.wales", password=password,
        staff_number=f"FL{secrets.token_hex(3)}", first_name="Fleet", last_name="Test",
    )  # fmt: skip
    return {"username": user.username, "password": password}


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    print(json.dumps({"publish": publish, "password_user": password_user}[name](*args)))
