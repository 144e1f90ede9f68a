"""Sign-in behind the load balancer: axes sees each person's own address from X-Forwarded-For (as many trusted
proxies as configured), locks a username only from the address that failed, and caps failures from one address over
all usernames (password spraying)."""

import pytest

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.1"
PASSWORD = "correct-horse-battery"


@pytest.fixture
def behind_balancer(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def sign_in(client, username, password, *, address, spoofed=None):
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return client.post(
        "/en/sign-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_colleague_cannot_lock_someone_out_from_another_address(client, staff, behind_balancer):
    for _try in range(5):
        sign_in(client, staff.username, "wrong", address="203.0.113.66")
    assert sign_in(client, staff.username, PASSWORD, address="203.0.113.66").status_code == 429
    response = sign_in(client, staff.username, PASSWORD, address="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, staff, behind_balancer):
    for number in range(5):
        sign_in(client, staff.username, "wrong", address="203.0.113.66", spoofed=f"192.0.2.{number}")
    assert sign_in(client, staff.username, PASSWORD, address="203.0.113.66", spoofed="192.0.2.200").status_code == 429


def test_without_the_setting_everyone_behind_the_balancer_shares_its_address(client, staff):
    for _try in range(5):
        sign_in(client, staff.username, "wrong", address="203.0.113.66")
    assert sign_in(client, staff.username, PASSWORD, address="198.51.100.7").status_code == 429


def test_spraying_from_one_address_is_stopped_in_both_languages(client, settings, behind_balancer):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 60
    people = [UserFactory() for _index in range(15)]
    for person in people:
        for _try in range(4):  # under the per-username limit of 5
            assert sign_in(client, person.username, "Password1", address="203.0.113.66").status_code == 200
    victim = UserFactory(username="gwen.jones")
    refused = sign_in(client, victim.username, PASSWORD, address="203.0.113.66")
    assert refused.status_code == 429
    assert "Too many failed sign-ins from your network" in refused.content.decode()
    welsh = client.post(
        "/cy/mewngofnodi/",
        {"username": victim.username, "password": PASSWORD},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert welsh.status_code == 429
    assert "Gormod o ymgeisiau aflwyddiannus i fewngofnodi o'ch rhwydwaith" in welsh.content.decode()
    elsewhere = sign_in(client, victim.username, PASSWORD, address="198.51.100.7")
    assert elsewhere.status_code == 302
