"""Provisioning as Microsoft Entra ID does it: its payloads and PATCH habits, tokens, and leavers losing access."""

import pytest
from django.core.management import call_command

from assessments.models import Acknowledgement
from directory.models import ScimIdentity, ScimToken
from portal.models import User

from ..factories import DepartmentFactory, UserFactory, acknowledge_after_reading

pytestmark = pytest.mark.django_db

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PORTAL = "urn:gov:wales:params:scim:schemas:extension:portal:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def entra_user(upn="llyr.evans@gov.wales", **extra):
    """What Entra ID posts with its default attribute mappings (title and phone numbers included)."""
    return {
        "schemas": [CORE, ENTERPRISE],
        "externalId": "llyr.evans",
        "userName": upn,
        "active": True,
        "displayName": "Llŷr Evans",
        "title": "Policy officer",
        "emails": [{"primary": True, "type": "work", "value": upn}],
        "phoneNumbers": [{"type": "work", "value": "0300 060 4400"}],
        "preferredLanguage": "cy-GB",
        "name": {"familyName": "Evans", "givenName": "Llŷr", "formatted": "Llŷr Evans"},
        ENTERPRISE: {"employeeNumber": "1001", "department": "Education and Welsh Language"},
        PORTAL: {"employeeHireDate": "2026-04-01T00:00:00Z"},
        **extra,
    }


def test_entra_creates_a_person_with_what_the_portal_keeps(scim):
    education = DepartmentFactory(code="EDU", name_en="Education and Welsh Language", name_cy="Addysg a'r Gymraeg")
    status, body = scim("POST", "Users", entra_user())
    assert status == 201, body
    person = User.objects.get(username="llyr.evans@gov.wales")
    assert (person.first_name, person.last_name, person.email) == ("Llŷr", "Evans", "llyr.evans@gov.wales")
    assert (person.staff_number, person.department, person.preferred_language) == ("1001", education, "cy")
    assert str(person.start_date) == "2026-04-01" and person.is_active and not person.has_usable_password()
    assert body["id"] == str(person.scim_identity.resource_id)
    assert "title" not in body and "phoneNumbers" not in body  # not kept, so not stored
    assert body[ENTERPRISE]["employeeNumber"] == "1001"


def test_an_unknown_department_is_created_with_its_welsh_name_to_follow(scim):
    scim(
        "POST",
        "Users",
        entra_user(**{ENTERPRISE: {"employeeNumber": "1001", "department": "Climate Change and Rural Affairs"}}),
    )
    department = User.objects.get(staff_number="1001").department
    assert (department.code, department.name_cy) == ("CCRA", "")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('userName eq "LLYR.EVANS@gov.wales"', 1),
        ('externalId eq "llyr.evans"', 1),
        ('userName eq "nobody@gov.wales"', 0),
    ],
)
def test_entra_finds_people_by_user_name_and_external_id(scim, query, found):
    scim("POST", "Users", entra_user())
    status, body = scim("GET", f"Users?filter={query}")
    assert status == 200 and body["totalResults"] == found


def test_someone_imported_from_a_file_is_matched_by_email_and_taken_over_not_duplicated(scim):
    imported = UserFactory(username="1001", staff_number="1001", email="llyr.evans@gov.wales")
    status, body = scim("GET", 'Users?filter=userName eq "llyr.evans@gov.wales"')
    assert body["totalResults"] == 1
    resource_id = body["Resources"][0]["id"]
    patch(scim, resource_id, {"op": "Replace", "path": "userName", "value": "llyr.evans@gov.wales"})
    assert User.objects.get(pk=imported.pk).username == "llyr.evans@gov.wales"
    assert User.objects.count() == 1


def test_someone_provisioning_takes_over_keeps_the_password_they_sign_in_with_and_a_newcomer_has_none(scim):
    local = UserFactory(username="llyr.evans@gov.wales", staff_number="1001")
    local.set_password("a long local passphrase")
    local.save()
    status, _body = scim("POST", "Users", entra_user())
    assert status == 201
    taken_over = User.objects.get(pk=local.pk)
    assert taken_over.first_name == "Llŷr" and taken_over.check_password("a long local passphrase")
    status, _body = scim("POST", "Users", entra_user(upn="newydd@gov.wales", externalId="newydd", **{ENTERPRISE: {}}))
    assert status == 201 and not User.objects.get(username="newydd@gov.wales").has_usable_password()


def patch(scim, resource_id, *operations):
    """PATCH as Entra does; scim2-server answers 204, so the resource is read back with a GET."""
    status, body = scim("PATCH", f"Users/{resource_id}", {"schemas": [PATCH], "Operations": list(operations)})
    assert status in (200, 204), body
    return scim("GET", f"Users/{resource_id}")[1]


def _created(scim, **extra):
    status, body = scim("POST", "Users", entra_user(**extra))
    assert status == 201, body
    return body["id"]


@pytest.mark.parametrize("value", ["False", "false", False])
def test_entra_patch_active_false_as_a_string_makes_the_person_inactive(scim, value):
    resource_id = _created(scim)
    body = patch(scim, resource_id, {"op": "Replace", "path": "active", "value": value})
    person = User.objects.get(username="llyr.evans@gov.wales")
    assert not person.is_active and person.left_on is not None
    assert body["active"] is False


def test_entra_patch_with_dotted_keys_capitalised_ops_and_attributes_the_portal_does_not_keep(scim):
    resource_id = _created(scim)
    patch(
        scim,
        resource_id,
        {"op": "Add", "value": {"name.givenName": "Siôn", "title": "Lead", "active": "True"}},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "sion.evans@gov.wales"},
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Legal Services"},
        {"op": "Replace", "path": "preferredLanguage", "value": "en-GB"},
        {"op": "Replace", "path": 'phoneNumbers[type eq "mobile"].value', "value": "07700 900000"},
    )
    person = User.objects.get(username="llyr.evans@gov.wales")
    assert (person.first_name, person.email, person.department.name_en, person.preferred_language) == (
        "Siôn",
        "sion.evans@gov.wales",
        "Legal Services",
        "en",
    )


def test_a_patch_of_only_attributes_the_portal_does_not_keep_changes_nothing_and_succeeds(scim):
    resource_id = _created(scim)
    body = patch(scim, resource_id, {"op": "Replace", "path": "title", "value": "Lead"})
    assert body["userName"] == "llyr.evans@gov.wales" and "title" not in body


def test_entra_sets_and_removes_the_manager_by_id(scim):
    manager_id = _created(
        scim,
        userName="rhian.morgan@gov.wales",
        externalId="rhian",
        emails=[{"value": "rhian.morgan@gov.wales", "type": "work", "primary": True}],
        **{ENTERPRISE: {"employeeNumber": "1000"}},
    )
    resource_id = _created(scim)
    body = patch(scim, resource_id, {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": manager_id})
    assert User.objects.get(staff_number="1001").line_manager.staff_number == "1000"
    assert body[ENTERPRISE]["manager"]["value"] == manager_id
    patch(scim, resource_id, {"op": "Remove", "path": f"{ENTERPRISE}:manager"})
    assert User.objects.get(staff_number="1001").line_manager is None


def test_delete_makes_the_person_inactive_and_keeps_their_declarations(scim, content, cycle):
    from assessments.services import start_attempt, submit_attempt

    from ..assessments.test_quiz import answer_all

    resource_id = _created(scim)
    person = User.objects.get(username="llyr.evans@gov.wales")
    attempt = start_attempt(user=person, cycle=cycle, language="cy")
    answer_all(attempt, person, correct=6)
    submit_attempt(user=person, attempt_id=attempt.pk, language="cy")
    acknowledge_after_reading(user=person, cycle=cycle, version=content, language="cy")
    status, _body = scim("DELETE", f"Users/{resource_id}")
    assert status == 204
    person.refresh_from_db()
    assert not person.is_active
    assert Acknowledgement.objects.filter(user=person).count() == 1 and person.attempts.count() == 1
    assert scim("GET", f"Users/{resource_id}")[0] == 404
    status, body = scim("POST", "Users", entra_user())  # a rehire comes back as the same person, records and all
    assert status == 201 and User.objects.get(pk=person.pk).is_active
    assert User.objects.filter(username="llyr.evans@gov.wales").count() == 1


def test_a_deprovisioned_person_loses_access_at_their_next_request(scim, client):
    resource_id = _created(scim)
    person = User.objects.get(username="llyr.evans@gov.wales")
    client.force_login(person)
    assert client.get("/en/").status_code == 200
    scim(
        "PATCH",
        f"Users/{resource_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "value": {"active": "False"}}]},
    )
    response = client.get("/en/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_requests_without_a_live_token_are_refused(scim, client, staff, token):
    assert scim("GET", "Users", bearer=None)[0] == 401
    assert scim("GET", "Users", bearer="scim_not-a-token")[0] == 401
    client.force_login(staff)  # a signed-in session is not a provisioning token
    assert client.get("/scim/v2/Users").status_code == 401
    assert scim("GET", "ServiceProviderConfig", bearer=None)[0] == 200  # RFC 7643 §5: no authentication
    assert scim("GET", "Users")[0] == 200
    call_command("scim_token", "revoke", str(ScimToken.objects.get().pk))
    status, body = scim("GET", "Users")
    assert status == 401 and body["status"] == "401"


def test_only_the_hash_is_kept_and_the_command_shows_the_token_once(capsys, scim):
    call_command("scim_token", "create", "--name", "Entra ID production")
    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("scim_") and len(raw) > 40
    assert not ScimToken.objects.filter(token_hash=raw).exists() and raw not in str(list(ScimToken.objects.values()))
    assert scim("GET", "Users", bearer=raw)[0] == 200
    call_command("scim_token", "list")
    assert raw not in capsys.readouterr().out


def test_an_administrator_makes_and_revokes_a_token_in_the_admin(client, scim):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post("/en/admin/directory/scimtoken/add/", {"name": "Entra ID staging"}, follow=True)
    page = response.content.decode()
    raw = page.split("not shown again: ")[1].split("<")[0].strip()
    token = ScimToken.objects.get(name="Entra ID staging")
    assert token.created_by == admin and raw.startswith(token.prefix)
    assert scim("GET", "Users", bearer=raw)[0] == 200
    client.post("/en/admin/directory/scimtoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert scim("GET", "Users", bearer=raw)[0] == 401


def test_what_the_database_would_refuse_is_a_scim_error_not_a_server_error(scim):
    UserFactory(username="taken@gov.wales", staff_number="1001")
    status, body = scim("POST", "Users", entra_user("new@gov.wales"))
    assert status == 409 and body["scimType"] == "uniqueness"  # the staff number belongs to someone else
    _created(scim, **{ENTERPRISE: {"employeeNumber": "1002"}})
    status, body = scim("POST", "Users", entra_user(**{ENTERPRISE: {"employeeNumber": "1003"}}))
    assert status == 409  # that userName is provisioned already
    status, body = scim("POST", "Users", entra_user("x" * 200 + "@gov.wales"))
    assert status == 400
    assert scim("POST", "Users", {"schemas": [CORE]})[0] == 400
    assert scim("PATCH", "Users/not-a-uuid", {"schemas": [PATCH], "Operations": []})[0] in (400, 404)
    assert ScimIdentity.objects.count() == 1 and User.objects.filter(staff_number="1003").count() == 0


def test_a_long_external_id_is_kept_to_what_the_database_holds(scim):
    _created(scim, externalId="x" * 300)  # PostgreSQL would refuse 256 characters
    assert len(ScimIdentity.objects.get().external_id) == 255


def test_the_admin_sees_when_a_provisioning_token_was_last_used(scim):
    assert ScimToken.objects.get().last_used_at is None
    scim("GET", "Users")
    assert ScimToken.objects.get().last_used_at is not None
