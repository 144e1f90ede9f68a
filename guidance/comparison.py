"""What changed between two versions of the guidance, section by section, in one language.

Staff see it when a new version asks them to confirm again; editors see it before they publish a draft. The text is
compared word by word and marked up with <ins> and <del>, each carrying visually hidden words ("Added:", "Removed:")
so that screen reader users hear the change, and styled with underline and strike-through as well as colour.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import GuidanceVersion, Section

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"
TOKENS = re.compile(r"\s+|[^\s]+")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass
class SectionChange:
    status: str
    title: str  # the section's title in the newer version (the older one's when the section was removed)
    old_title: str = ""
    new_title: str = ""
    old_text: str = ""
    new_text: str = ""
    section: Section | None = None  # the section in the newer version, for a link to it
    marked_up: SafeString = field(default_factory=lambda: mark_safe(""))
    title_marked_up: SafeString = field(default_factory=lambda: mark_safe(""))

    @property
    def title_changed(self) -> bool:
        return self.status == CHANGED and self.old_title != self.new_title


@dataclass
class Comparison:
    old: GuidanceVersion | None
    new: GuidanceVersion
    sections: list[SectionChange]
    confirmed: GuidanceVersion | None = None  # for staff: the version they last confirmed, when that is ``old``

    @property
    def changed(self) -> list[SectionChange]:
        return [change for change in self.sections if change.status != UNCHANGED]

    @property
    def unchanged(self) -> list[SectionChange]:
        return [change for change in self.sections if change.status == UNCHANGED]

    @property
    def change_summary(self) -> str:
        return self.new.change_summary


def plain_text(markdown: str) -> str:
    """The words of a Markdown body as a reader sees them: no "##" or "-" markers, links as "text (address)"."""
    lines = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        line = re.sub(r"^#{1,6}\s+", "", line)
        line = re.sub(r"^\s*[-*]\s+", "• ", line)
        lines.append(LINK.sub(lambda match: f"{match.group(1)} ({match.group(2)})", line))
    return "\n".join(lines).strip()


def mark_up(old: str, new: str) -> SafeString:
    """``new`` with the words added since ``old`` in <ins> and the words removed in <del>, escaped."""
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    parts: list[str] = []
    for operation, start_a, end_a, start_b, end_b in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(after[start_b:end_b])))
            continue
        if operation in ("delete", "replace"):
            parts.append(_wrap("del", _("Removed:"), "".join(before[start_a:end_a])))
        if operation in ("insert", "replace"):
            parts.append(_wrap("ins", _("Added:"), "".join(after[start_b:end_b])))
    return mark_safe("".join(parts))


def _wrap(tag: str, label: str, text: str) -> str:
    core = text.strip()
    if not core:  # only whitespace changed: keep the layout, say nothing
        return escape(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    end = _("end of addition") if tag == "ins" else _("end of removal")
    return (
        f'{escape(lead)}<{tag} class="app-diff__{tag}"><span class="govuk-visually-hidden">{escape(label)} </span>'
        f'{escape(core)}<span class="govuk-visually-hidden"> ({escape(end)})</span></{tag}>{escape(trail)}'
    )


def section_key(section: Section):
    """Which page a section is across versions: its principle's, or the page with its English address."""
    return ("principle", section.principle_id) if section.principle_id else ("page", section.slug_en)


def _text(section: Section | None, language: str) -> tuple[str, str]:
    if section is None:
        return "", ""
    return getattr(section, f"title_{language}"), plain_text(getattr(section, f"body_{language}"))


def pair_sections(
    old_sections: list[Section], new_sections: list[Section]
) -> list[tuple[Section | None, Section | None]]:
    """Each new section with its counterpart among the old ones (matched by principle, then by English address, then
    by position), followed by the old sections that have none."""
    remaining = {section_key(section): section for section in old_sections}
    pairs: list[list[Section | None]] = [
        [remaining.pop(section_key(section), None), section] for section in new_sections
    ]
    leftover = {section.order: section for section in remaining.values()}
    for pair, new in zip(pairs, new_sections, strict=True):  # a page whose English address changed is still the page
        if pair[0] is None and new.order in leftover:  # at the same position
            pair[0] = leftover.pop(new.order)
    pairs += [[section, None] for section in leftover.values()]
    return [(old, new) for old, new in pairs]


def compare_versions(*, old: GuidanceVersion | None, new: GuidanceVersion, language: str) -> Comparison:
    """Each section of ``new`` against the same section of ``old``, then the sections ``old`` had that ``new`` lacks."""
    old_sections = list(old.sections.order_by("order")) if old else []
    pairs = pair_sections(old_sections, list(new.sections.order_by("order")))
    changes = []
    for before, after in pairs:
        old_title, old_text = _text(before, language)
        new_title, new_text = _text(after, language)
        if old is None:
            status = UNCHANGED
        elif before is None:
            status = ADDED
        elif after is None:
            status = REMOVED
        elif (old_title, old_text) == (new_title, new_text):
            status = UNCHANGED
        else:
            status = CHANGED
        changes.append(
            SectionChange(
                status=status,
                title=new_title or old_title,
                old_title=old_title,
                new_title=new_title,
                old_text=old_text,
                new_text=new_text,
                section=after,
                marked_up=mark_up(old_text, new_text) if status != UNCHANGED else mark_safe(escape(new_text)),
                title_marked_up=mark_up(old_title, new_title),
            )
        )
    return Comparison(old=old, new=new, sections=changes)


def previous_published(version: GuidanceVersion) -> GuidanceVersion | None:
    """The published version a draft (or a published version) is compared with: the latest one before it."""
    return GuidanceVersion.objects.published().filter(number__lt=version.number).order_by("-number").first()
