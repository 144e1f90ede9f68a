"""Reads for the guidance pages."""

import hashlib

from django.http import Http404
from django.utils.safestring import SafeString

from .models import GuidanceVersion, Principle, Section
from .rendering import render_cached, render_markdown


def current_version() -> GuidanceVersion | None:
    return GuidanceVersion.objects.latest_published()


def version_for(*, number: int | None, user) -> GuidanceVersion:
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


def sections_of(version: GuidanceVersion) -> list[Section]:
    return list(version.sections.select_related("principle", "version").order_by("order"))


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
