"""Single sign-on through OpenID Connect: people are matched by email to the imported staff directory.

Nobody is created here: someone who is not in the directory, or whose record is inactive, is refused and sees a page
that says so. The routes exist in every environment but answer 404 unless `OIDC_RP_CLIENT_ID` is set, so local
sign-in stays the only way in where there is no provider.
"""

import logging
from functools import wraps
from urllib.parse import urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language_from_path, get_language_from_request, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .backends import PermissionsInOneQuery
from .i18n import home_url, in_language
from .models import User

logger = logging.getLogger(__name__)

REFUSED_EMAIL_SESSION_KEY = "sso_refused_email"


# What a malformed or hostile answer from the provider raises inside mozilla-django-oidc: turned into a refusal to sign
# in, with a message, rather than a server error.
PROVIDER_ANSWER_ERRORS = (jwt.PyJWTError, KeyError, TypeError, ValueError, AttributeError)


def claimed_email(claims) -> str:
    """The address the provider vouches for, or "" when there is none worth matching on."""
    email = claims.get("email") if isinstance(claims, dict) else None
    if not isinstance(email, str) or claims.get("email_verified") is False:
        return ""
    email = email.strip()
    return email if "@" in email and len(email) <= 254 else ""


class DirectoryOIDCBackend(PermissionsInOneQuery, OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the callback's own call (it always passes the nonce). A password sign-in whose address happens to
        # carry ?code=&state= is not a single sign-on and must not reach the provider.
        if "nonce" not in kwargs or "username" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except PROVIDER_ANSWER_ERRORS as error:
            raise SuspiciousOperation(f"Unusable answer from the OpenID Connect provider: {error!r}") from error

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)  # signature, expiry and nonce
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("The ID token was issued to another client.")
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer is about someone other than the ID token's subject.")
        email = claimed_email(claims)
        if not email:
            raise SuspiciousOperation("The provider gave no verified email address.")
        people = list(self.filter_users_by_claims(claims)[:2])
        if len(people) == 1:
            return people[0]
        # Unknown, inactive, without a staff record, or two records with one address: the directory has to change,
        # so say so, with the address they signed in with, rather than the message for a failed sign-in.
        self.request.sso_refused_email = email
        return None

    def filter_users_by_claims(self, claims):
        email = claimed_email(claims)
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True, staff_number__isnull=False)

    def verify_claims(self, claims):
        return bool(claimed_email(claims))

    def get_user(self, user_id):
        # Checked on every request: someone made inactive, or taken out of the directory, is signed out at once.
        return User.objects.filter(pk=user_id, is_active=True, staff_number__isnull=False).first()

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is off; the directory is the only source
        return None


def is_single_sign_on_attempt(request, credentials=None):
    """For django-axes: the provider throttles its own sign-ins, and refusals carry no username to lock.

    Without this, every refusal from a shared office address would count against every colleague there.
    """
    return "username" not in (credentials or {})


def single_sign_on_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return login_not_required(never_cache(wrapper))


class SignInCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back: sign the person in, refuse them, or send them back to try again."""

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException):
            # A reused or forged callback, or a provider that did not answer: nothing is signed in.
            logger.warning("Single sign-on callback failed", exc_info=True)
            return self.sign_in_again()

    @property
    def success_url(self):
        next_url = self.request.session.get("oidc_login_next")
        language = self.user.preferred_language
        return in_language(next_url, language) if next_url else home_url(language)

    def login_failure(self):
        refused_email = getattr(self.request, "sso_refused_email", None)
        if refused_email is None:
            return self.sign_in_again()
        language = self.language
        auth.logout(self.request)  # whoever was signed in before, nobody is now
        self.request.session[REFUSED_EMAIL_SESSION_KEY] = refused_email
        with override(language):
            return HttpResponseRedirect(reverse("portal:sso-refused"))

    def sign_in_again(self):
        # The page they came from says which language they were reading; the callback URL itself has none.
        with override(self.language):
            messages.error(
                self.request,
                _(
                    "Signing in with your Welsh Government account did not finish. "
                    "Try again, or sign in with a username and password."
                ),
            )
            return redirect("portal:sign-in")

    @property
    def language(self):
        next_url = self.request.session.get("oidc_login_next") or ""
        return get_language_from_path(urlsplit(next_url).path) or get_language_from_request(self.request)


authentication_start = single_sign_on_only(OIDCAuthenticationRequestView.as_view())
authentication_callback = single_sign_on_only(SignInCallbackView.as_view())


@single_sign_on_only
def refused(request):
    return render(
        request,
        "registration/sso_refused.html",
        {"refused_email": request.session.get(REFUSED_EMAIL_SESSION_KEY, "")},
        status=403,
    )
