"""Provisioning tokens: made and revoked by an administrator, kept only as a SHA-256, shown once when made."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from portal.models import User

from ..models import ScimToken

PREFIX = "scim_"
TOUCH_EVERY = timedelta(minutes=1)  # record use without a write on every request


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(*, name: str, by: User | None = None) -> tuple[ScimToken, str]:
    """A new token; the raw value is returned once and never stored."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(name=name[:100], prefix=raw[:12], token_hash=_digest(raw), created_by=by)
    return token, raw


@transaction.atomic
def revoke_token(*, token_id: int) -> ScimToken:
    token = ScimToken.objects.select_for_update().get(pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(header: str | None) -> ScimToken | None:
    """The live token an ``Authorization: Bearer …`` header carries, or None."""
    scheme, _space, raw = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = ScimToken.objects.filter(token_hash=_digest(raw.strip()), revoked_at__isnull=True).first()
    if token is not None and (token.last_used_at is None or timezone.now() - token.last_used_at > TOUCH_EVERY):
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token
