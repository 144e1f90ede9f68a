"""Reads for the guidance pages."""

import hashlib

from django.db.models.base import ModelState
from django.http import Http404
from django.utils.safestring import SafeString

from cycles.models import Cycle
from portal.models import User

from . import readers
from .models import GuidanceVersion, Principle, Section
from .rendering import render_cached, render_markdown


def current_version() -> GuidanceVersion | None:
    """The latest published version. Which one that is comes from the database on every request (one indexed query
    for a short row), so the moment a version is published every worker and instance serves it."""
    return GuidanceVersion.objects.published().order_by("-number").first()


def version_for(*, number: int | None, user: User) -> GuidanceVersion:
    """The version a person asked for: the latest published one, any published one, or a draft for editors."""
    if number is None:
        version = current_version()
    else:
        version = GuidanceVersion.objects.filter(number=number).first()
        if version and not version.is_published and not (user.is_authenticated and user.is_editor):
            version = None
    if version is None:
        raise Http404
    return version


# A published version's sections, kept in this process: a published version never changes, and reading them from
# the shared cache meant unpickling every section's text on every guidance page. Keyed by when the version was
# published as well as its id and hash, so a database rebuilt with the same ids (tests, benchmark) never reuses them.
_PUBLISHED_SECTIONS: dict[tuple, list[Section]] = {}
_PUBLISHED_SECTIONS_KEPT = 16


def sections_of(version: GuidanceVersion) -> list[Section]:
    """A version's sections in order (each call gets its own copies, so a view may set attributes on them)."""
    if not version.is_published or version.published_at is None:
        return list(version.sections.select_related("principle", "version").order_by("order"))
    key = (version.pk, version.published_at.isoformat(), version.content_sha256)
    sections = _PUBLISHED_SECTIONS.get(key)
    if sections is None:
        sections = list(version.sections.select_related("principle", "version").order_by("order"))
        if len(_PUBLISHED_SECTIONS) >= _PUBLISHED_SECTIONS_KEPT:
            _PUBLISHED_SECTIONS.clear()
        _PUBLISHED_SECTIONS[key] = sections
    return [_own_copy(section) for section in sections]


def _own_copy(section: Section) -> Section:
    """A shallow copy a view may set attributes on, with its own related-object cache (what copy.copy gives, without
    the pickling protocol that was most of this function's time)."""
    clone = Section.__new__(Section)
    clone.__dict__.update(section.__dict__)
    clone._state = ModelState()
    clone._state.db = section._state.db
    clone._state.adding = section._state.adding
    clone._state.fields_cache = dict(section._state.fields_cache)
    return clone


def find_section(sections: list[Section], slug: str) -> Section:
    for section in sections:
        if slug in (section.slug_en, section.slug_cy):
            return section
    raise Http404


def section_html(section: Section, version: GuidanceVersion) -> SafeString:
    body = section.body
    if not version.is_published:
        return render_markdown(body)
    digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:20]
    return render_cached(f"guidance:section:{section.pk}:{digest}", body)


def principles() -> list[Principle]:
    return list(Principle.objects.order_by("number"))


def earlier_versions(version: GuidanceVersion) -> list[GuidanceVersion]:
    """Every published version before this one, newest first: each stays readable, with what changed in it."""
    return list(GuidanceVersion.objects.published().filter(number__lt=version.number).order_by("-number"))


def current_cycle_id() -> int | None:
    return Cycle.objects.filter(is_current=True).values_list("pk", flat=True).first()


# The guidance's last page remembers has_passed_this_cycle in the session under this key, for this many seconds.
QUESTIONS_PASSED_SESSION_KEY = "questions_passed"
QUESTIONS_PASSED_MEMO_SECONDS = 60


def has_passed_this_cycle(user) -> bool:
    """Whether the person has passed the scenario questions in the current cycle (the end of the guidance says so)."""
    return readers.progress().has_passed_this_cycle(user=user)


def changes_for(*, user: User, language: str):
    """What changed in the current guidance since the version this person last confirmed.

    None when they have confirmed the current version, or when there is nothing earlier to compare with. Someone who
    has never confirmed is shown what changed since the previous published version.
    """
    from .comparison import compare_versions, previous_published

    current = current_version()
    if current is None:
        return None
    confirmed = readers.progress().last_confirmed_version(user=user)
    if confirmed is not None and confirmed.number >= current.number:
        return None
    since = confirmed or previous_published(current)
    if since is None:
        return None
    comparison = compare_versions(old=since, new=current, language=language)
    comparison.confirmed = confirmed
    return comparison
