"""What a person must have opened before they confirm a version of the guidance: the one rule the home page's task
list, the declaration page and the ``acknowledge`` service all read, so they cannot disagree.

- The first confirmation in a cycle needs the guidance read in that cycle: each principle's page (the print-all page
  opens every page at once).
- Confirming again after a new version needs what changed since the version they confirmed in the cycle: "What
  changed" (which opens each changed section) or each changed or added section's own page.

A section counts as read when the person opened it in this cycle, or opened a section of an earlier version that is
the same page with the same words in the language they are reading in: a version that changed one page does not send
people back to the five they have already read.
"""

from dataclasses import dataclass

from cycles.models import Cycle
from guidance.comparison import plain_text, section_key
from guidance.models import GuidanceVersion, Section, SectionRead
from portal.models import User

from .models import Acknowledgement


@dataclass
class Reading:
    required: list[Section]  # what this confirmation needs read, in the guidance's order
    unread: list[Section]  # of those, what is still to read
    since: GuidanceVersion | None  # the version confirmed earlier in the cycle ("what changed" is since then)
    started: bool  # opened anything in this cycle (since confirming an earlier version, if they did)

    @property
    def done(self) -> bool:
        return not self.unread


def _words(section: Section, language: str) -> tuple:
    """A page and its words as a reader sees them, as "What changed" compares them."""
    return section_key(section), getattr(section, f"title_{language}"), plain_text(getattr(section, f"body_{language}"))


def reading_for(*, user: User, cycle: Cycle, version: GuidanceVersion, language: str) -> Reading:
    """What ``user`` must have opened in ``cycle`` before confirming ``version``, and what of it is still unread."""
    sections = list(version.sections.order_by("order"))
    confirmed = (
        Acknowledgement.objects.filter(user=user, cycle=cycle, guidance_version__number__lt=version.number)
        .select_related("guidance_version")
        .order_by("-guidance_version__number")
        .first()
    )
    since = confirmed.guidance_version if confirmed else None
    if since is None:
        required = [section for section in sections if section.principle_id]
    else:
        before = {_words(section, language) for section in since.sections.all()}
        required = [section for section in sections if _words(section, language) not in before]
    opened = list(SectionRead.objects.filter(user=user, cycle=cycle).select_related("section"))
    read_ids = {read.section_id for read in opened}
    read_words = {_words(read.section, language) for read in opened}
    unread = [
        section for section in required if section.pk not in read_ids and _words(section, language) not in read_words
    ]
    # After a new version, reading starts again from the declaration: what was opened before it is done with.
    started = any(not confirmed or read.first_read_at > confirmed.created_at for read in opened)
    return Reading(required=required, unread=unread, since=since, started=started)
