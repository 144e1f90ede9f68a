"""The single sign-on backend's matching rules (the provider round trip itself is covered where noted in the README)."""

import pytest

from portal.oidc import DirectoryOIDCBackend

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


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
