"""Whose address a sign-in failure is counted against, behind each kind of proxy set-up: the person's own, never one
the person wrote into X-Forwarded-For themselves."""

import pytest
from django.test import RequestFactory

from portal.sign_in_limits import address_is_throttled, client_address, failures_from_address

BALANCER, SECOND_PROXY = "10.0.0.1", "10.0.0.2"
PERSON, FORGED = "203.0.113.66", "192.0.2.1"


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/en/sign-in/", **extra)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PERSON, None, PERSON),  # straight to the portal
        (PERSON, FORGED, PERSON),  # no proxy trusted: the header is the client's own words
        ("198.51.100.7", None, "198.51.100.7"),
    ],
)
def test_without_trusted_proxies_the_connecting_address_counts(settings, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = 0, []
    assert client_address(request_from(remote, forwarded)) == expected


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (PERSON, PERSON),
        (f"{FORGED}, {PERSON}", PERSON),  # a forged entry further left is never believed
        (f"{FORGED},{PERSON}", PERSON),
        (f" {PERSON} ", PERSON),
        ("", BALANCER),  # nothing forwarded: the balancer itself
        (None, BALANCER),  # no header at all (a health check from the balancer): the balancer, never a made-up address
        (f"{PERSON}, {SECOND_PROXY}", PERSON),  # the second proxy is trusted too, and skipped
        (f"{SECOND_PROXY}", SECOND_PROXY),  # only proxies: the last one left is blamed, never nobody
    ],
)
def test_behind_named_proxies_the_first_untrusted_address_from_the_right_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = 0, [BALANCER, SECOND_PROXY]
    assert client_address(request_from(BALANCER, forwarded)) == expected


def test_an_untrusted_connection_is_never_looked_behind(settings):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = 0, [BALANCER]
    assert client_address(request_from(PERSON, f"{FORGED}")) == PERSON


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, f"{FORGED}, {PERSON}", PERSON),
        (2, f"{FORGED}, {PERSON}, {BALANCER}", PERSON),
        (2, PERSON, BALANCER),  # fewer entries than proxies: the header cannot be trusted
        (1, None, BALANCER),  # no header at all: the proxy that connected, never a made-up address
    ],
)
def test_behind_a_number_of_proxies_that_many_entries_from_the_right_count(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = count, []
    assert client_address(request_from(BALANCER, forwarded)) == expected


@pytest.mark.django_db
def test_an_address_with_no_failures_has_none():
    assert failures_from_address(PERSON) == 0


@pytest.mark.django_db
def test_a_request_with_no_address_is_never_throttled_as_if_it_were_an_attacker(settings):
    """Behind a proxy on a local socket the server may see no address at all: per-address limits cannot apply, and
    treating "no address" as one shared attacker would lock every person out (the per-account limit still holds)."""
    settings.TRUSTED_PROXY_COUNT, settings.TRUSTED_PROXY_ADDRESSES = 0, []
    request = RequestFactory().post("/en/sign-in/")
    del request.META["REMOTE_ADDR"]
    assert client_address(request) is None
    assert address_is_throttled(request) is False
