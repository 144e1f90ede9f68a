"""Single sign-on through OpenID Connect: people are matched by email to the imported staff directory.

Nobody is created here: someone who is not in the directory, or whose record is inactive, is refused and sees a page
that says so (settings.LOGIN_REDIRECT_URL_FAILURE).
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import User


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True, staff_number__isnull=False)

    def verify_claims(self, claims):
        return bool(claims.get("email")) and super().verify_claims(claims)

    def create_user(self, claims):  # pragma: no cover - OIDC_CREATE_USER is off; the directory is the only source
        return None
