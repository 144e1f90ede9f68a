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
from .test_scim import PATCH, _created, entra_user

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
