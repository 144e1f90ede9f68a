import functools
import time

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import readers, selectors
from .comparison import compare_versions, previous_published
from .models import Section
from .rendering import addresses_written_out, mark_shown_addresses
from .services import record_reading

READING_MEMO_SECONDS = 60  # how long a session trusts the current cycle it remembers


def _note_reading(request, sections) -> None:
    """The session remembers the sections read in the current cycle, so a page seen before costs no query. Which
    cycle is current is asked of the database once a minute, so a new cycle starts a new record within a minute."""
    now = int(time.time())
    memo = request.session.get("sections_read")
    if not isinstance(memo, dict) or not 0 <= now - memo.get("at", 0) < READING_MEMO_SECONDS:
        cycle_id = selectors.current_cycle_id()
        same = isinstance(memo, dict) and memo.get("cycle") == cycle_id
        memo = {"cycle": cycle_id, "at": now, "ids": memo["ids"] if same else []}
        request.session["sections_read"] = memo
    seen = frozenset(memo["ids"])
    now_read = record_reading(user=request.user, sections=sections, cycle_id=memo["cycle"], already_read=seen)
    if now_read != seen:
        request.session["sections_read"] = {**memo, "ids": sorted(now_read)}


def _questions_passed(request) -> bool:
    """Whether the person has passed this cycle's questions (the last page says so), remembered in their session
    for a minute rather than asked of the database on every visit. Passing in this session forgets it at once (see
    ``assessments.views.quiz_check``); a pass on another device shows within the minute."""
    now = int(time.time())
    memo = request.session.get(selectors.QUESTIONS_PASSED_SESSION_KEY)
    if memo and 0 <= now - memo[1] < selectors.QUESTIONS_PASSED_MEMO_SECONDS:
        return memo[0]
    passed = selectors.has_passed_this_cycle(request.user)
    request.session[selectors.QUESTIONS_PASSED_SESSION_KEY] = [passed, now]
    return passed


def _neighbours(sections, section):
    index = sections.index(section)
    previous_section = sections[index - 1] if index > 0 else None
    next_section = sections[index + 1] if index + 1 < len(sections) else None
    return previous_section, next_section


@require_GET
def contents(request, number=None):
    version = selectors.version_for(number=number, user=request.user)
    sections = selectors.sections_of(version)
    _link_sections(sections, versioned=number is not None)
    return render(
        request,
        "guidance/contents.html",
        {
            "page_title": _("Guidance on using social and digital media"),
            "version": version,
            "versioned": number is not None,
            "superseded": _superseded(version, versioned=number is not None),
            "contents": _nest_principles(sections),
            "earlier_versions": selectors.earlier_versions(version),
            "confirmed": None if number is not None else _confirmed_earlier(request.user, version),
            "nav_section": "guidance",
        },
    )


def _superseded(version, *, versioned: bool) -> bool:
    """Whether a version asked for by number has been replaced (its pages then point to the current guidance)."""
    if not versioned or not version.is_published:
        return False
    current = selectors.current_version()
    return current is not None and current.number > version.number


def _confirmed_earlier(user, version):
    """The earlier version this person confirmed, when the guidance has changed since (for "See what changed")."""
    confirmed = readers.progress().last_confirmed_version(user=user)
    return confirmed if confirmed is not None and confirmed.number < version.number else None


def _nest_principles(sections):
    """Contents entries: each principle's page sits under the section before it ("6 things to remember")."""
    entries: list[tuple[Section, list[Section]]] = []
    for item in sections:
        if item.principle_id and entries:
            entries[-1][1].append(item)
        else:
            entries.append((item, []))
    return entries


@require_GET
def section(request, slug, number=None):
    version = selectors.version_for(number=number, user=request.user)
    sections = selectors.sections_of(version)
    found = selectors.find_section(sections, slug)
    versioned = number is not None
    # Slugs differ by language: after a language switch, send the person to this section's address in their language.
    found.url = section_url(found, versioned=versioned)
    if request.path != found.url:
        return redirect(found.url)
    if version.is_published:
        _note_reading(request, [found])
    previous_section, next_section = _neighbours(sections, found)
    for neighbour in (previous_section, next_section):
        if neighbour is not None:
            neighbour.url = section_url(neighbour, versioned=versioned)
    leads_to_questions = next_section is None and not versioned and version.is_published

    # The contents list is in a cached fragment: only linked when that has to be drawn again.
    @functools.cache
    def linked():
        _link_sections(sections, versioned=versioned)
        return sections

    return render(
        request,
        "guidance/section.html",
        {
            "page_title": found.title,
            # Published pages never change, so their rendered content is cached; a draft preview never is.
            "fragment_seconds": 3600 if version.is_published else 0,
            "version": version,
            "versioned": versioned,
            "superseded": _superseded(version, versioned=versioned),
            "section": found,
            "body": lambda: selectors.section_html(found, version),  # in a cached fragment too
            "previous_section": previous_section,
            "next_section": next_section,
            "leads_to_questions": leads_to_questions,
            "questions_passed": leads_to_questions and _questions_passed(request),
            "sections": linked,
            "nav_section": "guidance",
        },
    )


@require_GET
def principle(request, slug):
    return section(request, slug)


@require_GET
def principles(request):
    version = selectors.version_for(number=None, user=request.user)
    sections = [section for section in selectors.sections_of(version) if section.principle_id]
    _link_sections(sections, versioned=False)
    return render(
        request,
        "guidance/principles.html",
        {
            "page_title": _("The 6 principles"),
            "version": version,
            "principle_sections": sections,
            "nav_section": "guidance",
        },
    )


@require_GET
def print_view(request, number=None):
    version = selectors.version_for(number=number, user=request.user)
    sections = selectors.sections_of(version)
    if version.is_published:
        _note_reading(request, sections)
    rendered = [(section, selectors.section_html(section, version)) for section in sections]
    # On paper an address written out anywhere in the guidance is not repeated after every link to it.
    shown = set().union(*(addresses_written_out(html) for _section, html in rendered))
    rendered = [(section, mark_safe(mark_shown_addresses(html, shown))) for section, html in rendered]
    return render(
        request,
        "guidance/print.html",
        {
            # Not the contents page's title: a screen reader's list of tabs, or the history, tells the two apart.
            "page_title": _("Guidance on using social and digital media: every section to print"),
            "version": version,
            "versioned": number is not None,
            "superseded": _superseded(version, versioned=number is not None),
            "rendered_sections": rendered,
            "nav_section": "guidance",
        },
    )


def _link_sections(sections, *, versioned: bool) -> None:
    for item in sections:
        item.url = section_url(item, versioned=versioned)


def section_url(section, *, versioned: bool = False) -> str:
    if versioned:
        return reverse("guidance:version-section", kwargs={"number": section.version.number, "slug": section.slug})
    if section.principle_id:
        return reverse("guidance:principle", kwargs={"slug": section.slug})
    return reverse("guidance:section", kwargs={"slug": section.slug})


@require_GET
def changes(request):
    """What changed since the version this person last confirmed (or since the previous version)."""
    version = selectors.version_for(number=None, user=request.user)
    comparison = selectors.changes_for(user=request.user, language=get_language())
    if comparison is not None:
        # Each changed or added section is shown here in full (with its changes marked): it has been read.
        _note_reading(request, [change.section for change in comparison.changed if change.section is not None])
    return _changes_page(request, version=version, comparison=comparison, versioned=False)


@require_GET
def version_changes(request, number):
    """What a version changed from the published version before it (for editors, a draft's changes)."""
    version = selectors.version_for(number=number, user=request.user)
    previous = previous_published(version)
    comparison = compare_versions(old=previous, new=version, language=get_language()) if previous else None
    return _changes_page(request, version=version, comparison=comparison, versioned=True)


def _changes_page(request, *, version, comparison, versioned):
    sections = selectors.sections_of(version)
    _link_sections(sections, versioned=versioned)
    urls = {section.pk: section.url for section in sections}
    for change in comparison.sections if comparison else []:
        change.url = urls.get(change.section.pk) if change.section else None
    return render(
        request,
        "guidance/changes.html",
        {
            "page_title": _("What changed in the guidance"),
            "version": version,
            "versioned": versioned,
            "superseded": _superseded(version, versioned=versioned),
            "comparison": comparison,
            "nav_section": "guidance",
        },
    )
