"""What provisioning must never reach: the portal's own administrators, and anyone without the whole token. And a
leaver deleted over SCIM has the day they left recorded, as any other leaver does."""

import hashlib
from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from directory.models import ScimIdentity, ScimToken
from portal.models import User

from ..factories import UserFactory
from .test_scim import ENTERPRISE, PATCH, _created, entra_user, patch

pytestmark = pytest.mark.django_db

UPN = "llyr.evans@gov.wales"


@pytest.fixture
def superuser(db):
    return UserFactory(username="Llyr.Evans@gov.wales", staff_number=None, is_staff=True, is_superuser=True)


def test_a_post_with_a_superusers_user_name_does_not_take_the_account_over(scim, superuser):
    status, body = scim("POST", "Users", entra_user(UPN, active=False))
    assert status == 409, body
    superuser.refresh_from_db()
    assert superuser.is_superuser and superuser.is_active and superuser.has_usable_password()
    assert superuser.staff_number is None and superuser.first_name != "Llŷr"
    assert not ScimIdentity.objects.filter(user=superuser).exists()
    assert User.objects.count() == 1


def test_superusers_are_never_listed_found_read_patched_or_deleted(scim, superuser):
    # Someone provisioned, later made a superuser in the admin: their SCIM id is known to the provisioning service.
    resource_id = _created(scim, userName="rhian.morgan@gov.wales", **{"externalId": "rhian"})
    promoted = User.objects.get(username="rhian.morgan@gov.wales")
    User.objects.filter(pk=promoted.pk).update(is_superuser=True, is_staff=True)
    everyone_else = UserFactory()
    status, body = scim("GET", "Users")
    assert status == 200 and [resource["userName"] for resource in body["Resources"]] == [everyone_else.username]
    assert body["totalResults"] == 1
    for query in (f'userName eq "{UPN}"', 'userName eq "rhian.morgan@gov.wales"', 'externalId eq "rhian"',
                  f'id eq "{resource_id}"', 'userName co "gov.wales"'):  # fmt: skip
        status, body = scim("GET", f"Users?filter={query}")
        assert (status, body["totalResults"]) == (200, 0), query
    assert scim("GET", f"Users/{resource_id}")[0] == 404
    status, _body = scim(
        "PATCH",
        f"Users/{resource_id}",
        {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    assert status == 404
    assert scim("DELETE", f"Users/{resource_id}")[0] == 404
    assert scim("PUT", f"Users/{resource_id}", entra_user("rhian.morgan@gov.wales", active=False))[0] == 404
    promoted.refresh_from_db()
    superuser.refresh_from_db()
    assert promoted.is_active and promoted.is_superuser and superuser.is_active
    assert not ScimIdentity.objects.filter(user=superuser).exists()  # listing gave them no SCIM id either


def test_a_token_is_checked_by_its_whole_hash_not_its_prefix(scim, token):
    stored = ScimToken.objects.get()
    assert stored.prefix == token[:12] and stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for forged in (token[:12], token[:12] + "x" * (len(token) - 12), token[:-1], token + "x", stored.token_hash):
        assert scim("GET", "Users", bearer=forged)[0] == 401, forged
    assert scim("GET", "Users", bearer=token)[0] == 200


def test_delete_records_the_day_the_person_left(scim):
    resource_id = _created(scim)
    day = date(2027, 3, 14)
    with time_machine.travel(datetime(2027, 3, 14, 12, tzinfo=timezone.get_default_timezone())):
        assert scim("DELETE", f"Users/{resource_id}")[0] == 204
    person = User.objects.get(username=UPN)
    assert not person.is_active and person.left_on == day


def test_entra_pages_and_filters_the_people_it_is_shown(scim, token):
    people = [
        _created(scim, userName=f"person{n}@gov.wales", externalId=f"p{n}", **{ENTERPRISE: {"employeeNumber": f"10{n}"}},
                 emails=[{"value": f"person{n}@gov.wales", "type": "work", "primary": True}], name={"familyName": f"Family{n}"})
        for n in range(5)
    ]  # fmt: skip
    manager_id = people[0]
    patch(scim, people[1], {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": manager_id})

    def names(query):
        status, body = scim("GET", f"Users?{query}")
        assert status == 200, body
        return body["totalResults"], [resource["userName"] for resource in body.get("Resources", [])]

    every = [f"person{n}@gov.wales" for n in range(5)]
    assert names("startIndex=2&count=2") == (5, every[1:3])  # SCIM counts from 1
    assert names("count=3") == (5, every[:3])
    assert names("startIndex=4") == (5, every[3:])
    # Filters answered by scim2-models rather than SQL: other operators, combinations, other attributes.
    assert names('filter=userName ne "person0@gov.wales"') == (4, every[1:])
    assert names('filter=userName ne "person0@gov.wales"&startIndex=2&count=2') == (4, every[2:4])
    assert names('filter=userName eq "person0@gov.wales" or userName eq "person3@gov.wales"') == (
        2,
        [every[0], every[3]],
    )
    assert names('filter=name.familyName eq "Family2"') == (1, [every[2]])
    # The manager is named by their SCIM id in a list as in a single read; bearer is any case (RFC 7235).
    listed = scim("GET", "Users")[1]["Resources"]
    assert [r[ENTERPRISE].get("manager", {}).get("value") for r in listed] == [None, manager_id, None, None, None]
    assert scim("GET", "Users", bearer=None)[0] == 401
    assert client_with(scim, f"bearer {token}") == 200


def client_with(scim, header: str) -> int:
    """A request with exactly this Authorization header."""
    from django.test import Client

    response = Client().get("/scim/v2/Users", HTTP_AUTHORIZATION=header)
    return response.status_code


def test_what_entra_did_not_send_is_not_made_up(scim):
    document = entra_user()
    del document["externalId"]
    status, body = scim("POST", "Users", document)
    assert status == 201 and "externalId" not in body
    assert "externalId" not in scim("GET", f"Users/{body['id']}")[1]
