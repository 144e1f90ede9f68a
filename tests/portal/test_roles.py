"""What each role may do, model by model and action by action, in the admin and on the portal's own pages.

The expected tables are written out here, not read from `portal/roles.py`, so a wrong grant there fails a test.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.translation import override

from assessments.models import Question
from assessments.services import start_attempt, submit_attempt
from directory.models import Department
from guidance.models import GuidanceVersion, Principle
from guidance.services import start_draft
from legal.services import load_legal_pages
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from portal.models import RoleChange, User
from portal.roles import CONTENT_EDITORS, HR
from xliff.models import LinkPair

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory, acknowledge_after_reading

pytestmark = pytest.mark.django_db

# Every permission each role holds, as "app_label.codename". Models shown inline in the admin (sections, options)
# and models with no admin (exemptions) are held here too.
ROLE_PERMISSIONS = {
    CONTENT_EDITORS: {
        "guidance.view_principle",
        "guidance.change_principle",
        "guidance.view_guidanceversion",
        "guidance.add_guidanceversion",
        "guidance.change_guidanceversion",
        "guidance.view_section",
        "guidance.add_section",
        "guidance.change_section",
        "guidance.delete_section",
        "assessments.view_question",
        "assessments.add_question",
        "assessments.change_question",
        "assessments.view_option",
        "assessments.add_option",
        "assessments.change_option",
        "assessments.delete_option",
        "cycles.view_cycle",
        "cycles.add_cycle",
        "cycles.change_cycle",
        "legal.view_legalpage",
        "legal.change_legalpage",
        "outbox.view_outgoingemail",
        "outbox.retry_outgoingemail",
        "xliff.view_translationexport",
        "xliff.add_translationexport",
        "xliff.view_translationimport",
        "xliff.add_translationimport",
        "xliff.view_linkpair",
        "xliff.add_linkpair",
        "xliff.change_linkpair",
        "xliff.delete_linkpair",
    },
    HR: {
        "cycles.view_cycle",
        "cycles.add_cycle",
        "cycles.change_cycle",
        "assessments.view_acknowledgement",
        "cycles.view_hr_reports",
        "directory.view_department",
        "directory.add_department",
        "directory.change_department",
        "directory.import_staff",
        "portal.view_user",
        "cycles.view_exemption",
        "cycles.add_exemption",
        "cycles.change_exemption",
        "outbox.view_outgoingemail",
        "outbox.retry_outgoingemail",
    },
}

# What each role can do in the admin, per registered model: v(iew the list), a(dd), c(hange), d(elete).
# Anything not listed: nothing (403).
ADMIN = {
    CONTENT_EDITORS: {
        "guidance.principle": "vc",
        "guidance.guidanceversion": "vc",  # a new version is started with "Start a new draft", never added blank
        "assessments.question": "vac",
        "cycles.cycle": "vac",
        "legal.legalpage": "vc",
        "outbox.outgoingemail": "v",  # evidence of what was sent: read-only, a failed one can be sent again
        "xliff.translationimport": "v",  # imports are made on the translation pages; the admin only lists them
        "xliff.linkpair": "vacd",  # an English address and its Welsh counterpart, for the translation checks
    },
    HR: {
        "cycles.cycle": "vac",
        "assessments.acknowledgement": "v",  # evidence: read-only for everyone
        "directory.department": "vac",
        "portal.user": "v",
        "cycles.exemption": "v",  # granted and ended on HR's own exemption pages, read-only in the admin
        "outbox.outgoingemail": "v",
    },
}
ACTIONS = "vacd"


def granted(group_name: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=group_name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_each_role_holds_exactly_its_permissions(role):
    assert granted(role) == ROLE_PERMISSIONS[role]


@pytest.fixture
def objects(content, cycle, staff):
    """One object of every model the admin shows, so each change and delete page has something to open."""
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    acknowledgement, _created = acknowledge_after_reading(user=staff, cycle=cycle, version=content, language="en")
    email = OutgoingEmail.objects.first() or queue_email(
        to="someone@example.gov.wales", subject="Subject", body="Body", kind="receipt"
    )
    staff.groups.add(Group.objects.get(name=HR))  # leaves a role change to open
    return {
        "assessments.acknowledgement": acknowledgement,
        "cycles.cycle": cycle,
        "assessments.question": Question.objects.first(),
        "directory.department": Department.objects.first() or staff.department,
        "guidance.guidanceversion": start_draft(),  # published versions are read-only for everyone
        "guidance.principle": Principle.objects.first(),
        "legal.legalpage": load_legal_pages()[0],
        "outbox.outgoingemail": email,
        "portal.rolechange": RoleChange.objects.first(),
        "portal.user": staff,
        "auth.group": Group.objects.first(),
        "xliff.linkpair": LinkPair.objects.first(),  # shipped with the guidance
    }


def admin_can(client, label: str, action: str, obj) -> bool:
    app_label, model = label.split(".")
    base = f"admin:{app_label}_{model}"
    with override("en"):
        if action == "v":
            return client.get(reverse(f"{base}_changelist")).status_code == 200
        if action == "a":
            return client.get(reverse(f"{base}_add")).status_code == 200
        if obj is None:  # no object of this kind here: nobody may open the list either (checked by "v")
            return False
        page = client.get(reverse(f"{base}_{'change' if action == 'c' else 'delete'}", args=[obj.pk]))
    if action == "c":
        return page.status_code == 200 and 'name="_save"' in page.content.decode()
    return page.status_code == 200


@pytest.mark.parametrize("role", sorted(ADMIN))
def test_the_admin_model_by_model_and_action_by_action(client, objects, role):
    person = UserFactory(is_staff=True, roles=[role])  # the admin needs is_staff; the role decides the rest
    client.force_login(person)
    found, expected = {}, {}
    for model in admin.site._registry:
        label = model._meta.label_lower
        found[label] = "".join(action for action in ACTIONS if admin_can(client, label, action, objects.get(label)))
        expected[label] = ADMIN[role].get(label, "")
    assert found == expected


def test_people_without_a_role_are_kept_out_of_the_admin(client, objects, staff):
    client.force_login(staff)
    for model in admin.site._registry:
        label = model._meta.label_lower
        assert not any(admin_can(client, label, action, objects.get(label)) for action in ACTIONS), label


HR_PAGES = ["/en/hr/", "/en/hr/staff/", "/en/hr/download/?format=csv", "/en/hr/import/"]


def test_pages_check_the_permission_not_the_groups_name(client):
    hr = UserFactory(roles=[HR])
    Group.objects.filter(name=HR).update(name="People team")  # renamed in the admin
    client.force_login(User.objects.get(pk=hr.pk))
    assert [client.get(url).status_code for url in HR_PAGES] == [200] * len(HR_PAGES)


def test_the_permission_alone_opens_hr_pages_and_nothing_else_does(client):
    reports, imports = (
        Permission.objects.get(codename="view_hr_reports", content_type__app_label="cycles"),
        Permission.objects.get(codename="import_staff", content_type__app_label="directory"),
    )
    person = UserFactory()
    person.user_permissions.add(reports)
    client.force_login(person)
    assert [client.get(url).status_code for url in HR_PAGES] == [200, 200, 200, 403]
    person.user_permissions.add(imports)
    client.force_login(User.objects.get(pk=person.pk))
    assert client.get("/en/hr/import/").status_code == 200
    named_hr = UserFactory()
    Group.objects.create(name="HR team").user_set.add(named_hr)  # a group with the right name and no permissions
    client.force_login(named_hr)
    assert [client.get(url).status_code for url in HR_PAGES] == [403] * len(HR_PAGES)


def test_editors_see_drafts_and_hr_do_not(client, content):
    draft = start_draft()
    url = f"/en/guidance/version/{draft.number}/"
    client.force_login(UserFactory(roles=[CONTENT_EDITORS]))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(roles=[HR]))
    assert client.get(url).status_code == 404
    assert GuidanceVersion.objects.filter(status=GuidanceVersion.Status.DRAFT).count() == 1
