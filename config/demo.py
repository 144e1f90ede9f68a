"""Demo departments and accounts for local development. Only ever created when DEBUG is on."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from directory.models import Department
from portal.models import User
from portal.roles import CONTENT_EDITORS, HR

DEMO_PASSWORD = "portal-demo"
DEPARTMENTS = [
    ("ECON", "Economy, Energy and Transport", "Yr Economi, Ynni a Thrafnidiaeth"),
    ("EDU", "Education and Welsh Language", "Addysg a’r Gymraeg"),
    ("HSS", "Health and Social Services", "Iechyd a Gwasanaethau Cymdeithasol"),
    ("CORP", "Corporate Services", "Gwasanaethau Corfforaethol"),
]
ACCOUNTS = [
    # username, staff number, first, last, department, language, role, manager
    ("demo.manager", "D0005", "Rhian", "Morgan", "EDU", "en", None, None),
    ("demo.staff", "D0001", "Alex", "Evans", "EDU", "en", None, "demo.manager"),
    ("demo.staff.cy", "D0002", "Siân", "Llywelyn", "ECON", "cy", None, "demo.manager"),
    ("demo.hr", "D0003", "Gareth", "Price", "CORP", "en", HR, None),
    ("demo.editor", "D0004", "Elin", "Hughes", "CORP", "cy", CONTENT_EDITORS, None),
]


@transaction.atomic
def create_demo_data() -> list[User]:
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo accounts are only created when DEBUG is on.")
    departments = {}
    for code, name_en, name_cy in DEPARTMENTS:
        departments[code], _created = Department.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_cy": name_cy}
        )
    people: dict[str, User] = {}
    for username, number, first, last, department, language, role, manager in ACCOUNTS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.staff_number = number
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.gov.wales"
        user.department = departments[department]
        user.preferred_language = language
        user.line_manager = people.get(manager) if manager else None
        user.is_active = True
        user.is_staff = role is not None  # the admin needs is_staff; roles decide what they see there
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        people[username] = user
    return list(people.values())
