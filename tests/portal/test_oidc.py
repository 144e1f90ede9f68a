"""The single sign-on backend's rules, one at a time. The round trip through a real provider is in
test_single_sign_on.py; the ID token checks a well-behaved provider never gives a reason to fail are here."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation

from portal.oidc import DirectoryOIDCBackend

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


SIGNING_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def backend(settings):
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:1/token"
    settings.OIDC_OP_USER_ENDPOINT = "http://127.0.0.1:1/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    return DirectoryOIDCBackend()


def test_people_are_matched_by_email_to_the_directory(backend):
    person = UserFactory(email="Ffion.Jones@gov.wales")
    assert list(backend.filter_users_by_claims({"email": "ffion.jones@gov.wales"})) == [person]


def test_unknown_and_inactive_people_are_refused(backend):
    UserFactory(email="leaver@gov.wales", is_active=False)
    UserFactory(email="admin@gov.wales", staff_number=None)
    assert not backend.filter_users_by_claims({"email": "stranger@gov.wales"}).exists()
    assert not backend.filter_users_by_claims({"email": "leaver@gov.wales"}).exists()
    assert not backend.filter_users_by_claims({"email": "admin@gov.wales"}).exists()
    assert not backend.filter_users_by_claims({}).exists()
    assert backend.verify_claims({"sub": "x"}) is False


def test_whitespace_unverified_or_oversized_addresses_are_not_matched(backend):
    UserFactory(email="ffion.jones@gov.wales")
    assert backend.verify_claims({"email": "   "}) is False
    assert backend.verify_claims({"email": "ffion.jones@gov.wales", "email_verified": False}) is False
    assert backend.verify_claims({"email": ["ffion.jones@gov.wales"]}) is False
    assert backend.verify_claims({"email": "a" * 250 + "@gov.wales"}) is False
    assert backend.verify_claims({"email": " ffion.jones@gov.wales "}) is True


@pytest.fixture
def token_backend(backend, settings):
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_IDP_SIGN_KEY = (
        SIGNING_KEY.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    settings.OIDC_OP_ISSUER = "https://login.example/tenant/v2.0"
    return DirectoryOIDCBackend()


def id_token(**overrides):
    now = int(time.time())
    claims = {
        "iss": "https://login.example/tenant/v2.0",
        "aud": "portal",
        "sub": "person-1",
        "nonce": "n",
        "iat": now,
        "exp": now + 300,
        **overrides,
    }
    return jwt.encode(claims, SIGNING_KEY, algorithm="RS256")


def test_a_good_id_token_is_accepted(token_backend):
    assert token_backend.verify_token(id_token(), nonce="n")["sub"] == "person-1"
    assert token_backend.verify_token(id_token(aud=["portal", "graph"]), nonce="n")["sub"] == "person-1"


@pytest.mark.parametrize(
    "overrides",
    [{"aud": "another-application"}, {"iss": "https://login.example/another-tenant/v2.0"}, {"nonce": "replayed"}],
    ids=["audience", "issuer", "nonce"],
)
def test_id_tokens_for_someone_else_are_refused(token_backend, overrides):
    with pytest.raises(SuspiciousOperation):
        token_backend.verify_token(id_token(**overrides), nonce="n")


def test_an_expired_id_token_is_refused(token_backend):
    with pytest.raises(jwt.ExpiredSignatureError):  # the callback turns this into "did not finish"
        token_backend.verify_token(id_token(exp=int(time.time()) - 60), nonce="n")


@pytest.mark.parametrize(
    "token_answer",
    [{"access_token": "a"}, {"access_token": "a", "id_token": "not-a-jwt"}, []],
    ids=["no-id-token", "garbage-id-token", "not-an-object"],
)
def test_a_malformed_token_answer_is_a_refusal_not_a_crash(token_backend, rf, monkeypatch, token_answer):
    request = rf.get("/oidc/callback/?code=c&state=s")
    monkeypatch.setattr(token_backend, "get_token", lambda payload: token_answer)
    with pytest.raises(SuspiciousOperation):  # the callback view turns this into "did not finish"
        token_backend.authenticate(request, nonce="n", code_verifier="v")
