"""The Django side of `make fleet`, run as `python bench/fleet_django.py COMMAND` with the fleet's environment.
Prints one JSON line.

editor          a content editor (the admin's "Content editors" role) with a known password, for the publish step.
pages           the latest published version's number and every page of its sections and principles, both languages.
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


def password_user(*roles: str) -> dict:
    from django.contrib.auth.models import Group

    from portal.models import User

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username=f"fleet{secrets.token_hex(3)}", email="fleet@example.gov.wales", password=password,
        staff_number=f"FL{secrets.token_hex(3)}", first_name="Fleet", last_name="Test", is_staff=bool(roles),
    )  # fmt: skip
    user.groups.add(*Group.objects.filter(name__in=roles))
    return {"username": user.username, "password": password}


def editor() -> dict:
    from portal.roles import CONTENT_EDITORS

    return password_user(CONTENT_EDITORS)


def pages() -> dict:
    from django.utils.translation import override

    from guidance.models import GuidanceVersion
    from guidance.views import section_url

    version = GuidanceVersion.objects.latest_published()
    found = []
    for language in ("en", "cy"):
        with override(language):
            found += [section_url(section) for section in version.sections.all()]  # sections and principle pages
    return {"version": version.number, "pages": found}


if __name__ == "__main__":
    name, *args = sys.argv[1:]
    print(json.dumps({"editor": editor, "pages": pages, "password_user": password_user}[name](*args)))
