"""Writes for the legal pages: the same Welsh-parity rule as publishing guidance, and the shipped text loaded once."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import LegalPage

CONTENT = Path(__file__).resolve().parent / "content"
WELSH_FIELDS = ("title", "body")


def missing_welsh(fields: dict) -> dict:
    """Welsh fields that are empty or still the same as the English, keyed by field name, for the editor."""
    problems = {}
    for name in WELSH_FIELDS:
        english = (fields.get(f"{name}_en") or "").strip()
        welsh = (fields.get(f"{name}_cy") or "").strip()
        if not welsh:
            problems[f"{name}_cy"] = _("Add the Welsh: this field is empty")
        elif welsh == english:
            problems[f"{name}_cy"] = _("Add the Welsh: this is the same as the English")
    return problems


@transaction.atomic
def update_legal_page(*, page: LegalPage, title_en: str, title_cy: str, body_en: str, body_cy: str) -> LegalPage:
    fields = {"title_en": title_en, "title_cy": title_cy, "body_en": body_en, "body_cy": body_cy}
    problems = missing_welsh(fields)
    if problems:
        raise ValidationError(problems)
    for name, value in fields.items():
        setattr(page, name, value.strip())
    page.updated_at = timezone.now()
    page.save()
    return page


def _read(kind: str, language: str) -> tuple[str, str]:
    text = (CONTENT / f"{kind}.{language}.md").read_text(encoding="utf-8").strip()
    title, _separator, body = text.partition("\n")
    return title.removeprefix("# ").strip(), body.strip()


@transaction.atomic
def load_legal_pages() -> list[LegalPage]:
    """Create the pages from the shipped text if they are missing; an editor's later changes are never overwritten."""
    pages = []
    for kind in LegalPage.Kind.values:
        title_en, body_en = _read(kind, "en")
        title_cy, body_cy = _read(kind, "cy")
        page, _created = LegalPage.objects.get_or_create(
            kind=kind, defaults={"title_en": title_en, "title_cy": title_cy, "body_en": body_en, "body_cy": body_cy}
        )
        pages.append(page)
    return pages
