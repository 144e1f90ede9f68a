"""SCIM against someone who is not Entra: no token, hostile bodies and numbers, filters that would scan everyone,
token guessing, control characters in names, and attributes the portal does not publish."""

import json

import pytest
from django.core.cache import cache

from directory.models import ScimIdentity
from portal.models import User

from .test_scim import ENTERPRISE, PATCH, entra_user

pytestmark = pytest.mark.django_db

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def raw_post(client, path, body: bytes, *, bearer=None, address="192.0.2.10"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {bearer}"} if bearer else {}
    response = client.post(
        f"/scim/v2/{path}", data=body, content_type="application/scim+json", REMOTE_ADDR=address, **headers
    )
    return response.status_code, json.loads(response.content) if response.content else None


def test_without_a_token_a_hostile_body_is_never_parsed(client, token):
    for body in (b"[" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000):
        status, reply = raw_post(client, "Users", body)
        assert status == 401 and reply["schemas"] == [ERROR]
        status, reply = raw_post(client, "Users", body, bearer=token)
        assert status == 400 and reply["scimType"] == "invalidSyntax" and "nested" in reply["detail"]


def test_a_body_larger_than_a_person_is_413(client, token):
    body = json.dumps(entra_user(displayName="x" * 200_000)).encode()
    status, reply = raw_post(client, "Users", body, bearer=token)
    assert status == 413 and reply["schemas"] == [ERROR]
    assert not User.objects.filter(username="llyr.evans@gov.wales").exists()


def test_start_index_and_count_are_bounded_never_a_500(scim):
    scim("POST", "Users", entra_user())
    status, body = scim("GET", "Users?startIndex=999999999999999999999")
    assert status == 200 and body["totalResults"] == 1 and body.get("Resources", []) == []
    status, body = scim("GET", "Users?count=999999999999999999999")
    assert status == 200 and len(body["Resources"]) == 1
    status, body = scim("GET", "Users?startIndex=-5&count=-3")
    assert status == 200 and body.get("Resources", []) == []
    status, body = scim("GET", "Users?count=lots")
    assert status == 400 and body["scimType"] == "invalidValue"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ('name.givenName sw "Ll"', 1),
        ('name.givenName sw "Zz"', 0),
        ('emails[value co "@"]', 2),
        ('emails[type eq "work"].value eq "llyr.evans@gov.wales"', 1),
        ('emails[type eq "home"].value eq "llyr.evans@gov.wales"', 0),
        ('userName eq "llyr.evans@gov.wales" and not (active eq false)', 1),
        (
            'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "1001" or userName ew "@nowhere"',
            1,
        ),
        ("name.familyName pr", 1),
    ],
)
def test_filters_run_in_sql(scim, query, found):
    scim("POST", "Users", entra_user())
    scim(
        "POST",
        "Users",
        entra_user(
            upn="sam.smith@gov.wales",
            externalId="sam",
            name={"givenName": "Sam"},
            **{ENTERPRISE: {"employeeNumber": "1002"}},
        ),
    )
    status, body = scim("GET", f"Users?filter={query}")
    assert status == 200, body
    assert body["totalResults"] == found


@pytest.mark.parametrize(
    "query",
    ['title eq "x"', 'meta.lastModified gt "2020-01-01"', 'name.givenName gt "A"', 'phoneNumbers[value co "1"]'],
)
def test_a_filter_sql_cannot_answer_is_refused_as_invalid_filter(scim, query):
    status, body = scim("GET", f"Users?filter={query}")
    assert status == 400 and body["scimType"] == "invalidFilter", body


def test_wrong_tokens_from_one_address_are_slowed_and_others_are_not(client, settings, token):
    settings.SCIM_TOKEN_FAILURE_LIMIT = 5
    body = json.dumps(entra_user()).encode()
    for _attempt in range(5):
        assert raw_post(client, "Users", body, bearer="scim_guess")[0] == 401
    status, reply = raw_post(client, "Users", body, bearer="scim_guess")
    assert status == 429 and reply["schemas"] == [ERROR] and "Too many wrong tokens" in reply["detail"]
    assert raw_post(client, "Users", body, bearer=token)[0] == 429  # even the right token waits from there
    assert raw_post(client, "Users", body, bearer=token, address="198.51.100.7")[0] == 201


@pytest.mark.parametrize(
    "bad", ["Llŷr\r\nBcc: all@gov.wales", "\x1b[31mEvans", "Ev\x07ans", "\u202eSnave", "Evans\u2028Jones"]
)
def test_control_and_bidi_characters_in_names_are_refused(scim, bad):
    for user in (
        entra_user(name={"givenName": bad, "familyName": "Evans"}),
        entra_user(name={"givenName": "Llŷr", "familyName": bad}),
        entra_user(displayName=bad),
        entra_user(**{ENTERPRISE: {"employeeNumber": "1001", "department": bad}}),
    ):
        status, body = scim("POST", "Users", user)
        assert status == 400 and body["scimType"] == "invalidValue" and "control character" in body["detail"]
    assert not User.objects.filter(username="llyr.evans@gov.wales").exists()
    status, created = scim("POST", "Users", entra_user())
    status, body = scim(
        "PATCH",
        f"Users/{created['id']}",
        {"schemas": [PATCH], "Operations": [{"op": "Replace", "path": "name.familyName", "value": bad}]},
    )
    assert status == 400
    assert User.objects.get(username="llyr.evans@gov.wales").last_name == "Evans"


def test_an_unpublished_extension_attribute_is_ignored_not_the_person(scim):
    status, body = scim(
        "POST", "Users", entra_user(**{ENTERPRISE: {"employeeNumber": "1001", "costCenter": "CC-9", "division": "X"}})
    )
    assert status == 201, body
    assert "costCenter" not in json.dumps(body) and "costCenter" not in json.dumps(ScimIdentity.objects.get().document)
    status, body = scim(
        "PATCH",
        f"Users/{body['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Add", "path": f"{ENTERPRISE}:costCenter", "value": "CC-1"},
                {
                    "op": "Replace",
                    "value": {
                        f"{ENTERPRISE}:costCenter": "CC-2",
                        ENTERPRISE: {"costCenter": "CC-3", "employeeNumber": "1009"},
                    },
                },
            ],
        },
    )
    assert status in (200, 204), body
    assert "CC-" not in json.dumps(ScimIdentity.objects.get().document)
    assert User.objects.get(username="llyr.evans@gov.wales").staff_number == "1009"


def test_only_the_email_the_portal_uses_is_stored(scim):
    emails = [
        {"primary": True, "type": "work", "value": "llyr.evans@gov.wales"},
        {"type": "other", "value": "llyr@example.com"},
    ]
    status, body = scim("POST", "Users", entra_user(emails=emails))
    assert status == 201
    assert "llyr@example.com" not in json.dumps(
        ScimIdentity.objects.get().document
    ) and "llyr@example.com" not in json.dumps(body)


def test_groups_answer_as_provisioning_users_only(scim):
    status, body = scim("GET", "Groups")
    assert status == 200 and body["totalResults"] == 0 and body["Resources"] == []
    status, body = scim("GET", 'Groups?filter=displayName eq "All staff"')
    assert status == 200 and body["totalResults"] == 0
    status, body = scim(
        "POST", "Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "All staff"}
    )
    assert status == 501 and "Provision Microsoft Entra ID Groups" in body["detail"]
    assert scim("GET", "Groups/8d3f0c2e-0000-0000-0000-000000000000")[0] == 404
    assert scim("GET", "Groups", bearer="scim_wrong")[0] == 401
