"""Writes to a person's own settings. Each is one keyword-only function in a transaction."""

from django.db import transaction

from .models import Language, User


@transaction.atomic
def set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language a person reads the portal in (their emails follow it too)."""
    if language not in Language.values:
        raise ValueError(language)
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
