"""XLIFF files through translate-toolkit: written for the translation service's tools (Trados, memoQ and the like)
and read back, with the checks a translated unit must pass before its Welsh is used."""

import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override
from lxml import etree
from translate.storage import xliff

from .units import Unit

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
BULLET = re.compile(r"^\s*[-*]\s", re.MULTILINE)
NUMBERED = re.compile(r"^\s*\d+\.\s", re.MULTILINE)


def build(*, file_id: str, units: list[Unit]) -> bytes:
    store = xliff.xlifffile(sourcelanguage="en", targetlanguage="cy")
    store.setfilename(store.getfilenode("NoName"), file_id)
    for unit in units:
        entry = store.addsourceunit(unit.english, filename=file_id)
        entry.setid(unit.id)
        for language in ("en", "cy"):  # where it appears, for a translator reading either language
            with override(language):
                entry.addnote(str(unit.where), origin="developer")
        if unit.welsh.strip():
            entry.target = unit.welsh
            entry.set_state_n(entry.S_NEEDS_REVIEW if unit.changed else entry.S_TRANSLATED)
        if unit.previous_welsh.strip():
            entry.addalttrans(unit.previous_welsh, origin="last published version", lang="cy")
    return bytes(store)


@dataclass
class ReturnedUnit:
    id: str
    source: str
    target: str


class UnreadableFile(ValueError):
    pass


def read(content: bytes) -> tuple[str, list[ReturnedUnit]]:
    """The file id and units of a returned XLIFF file. Raises UnreadableFile with a message for the editor."""
    _check_encoding(content)
    try:
        store = xliff.xlifffile.parsestring(content)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise UnreadableFile(_("This is not an XLIFF file that can be read: %(error)s") % {"error": error}) from error
    if (store.getsourcelanguage() or "").lower()[:2] != "en" or (store.gettargetlanguage() or "").lower()[:2] != "cy":
        raise UnreadableFile(_("The file must translate from English (en) to Welsh (cy)."))
    names = store.getfilenames()
    if len(names) != 1:
        raise UnreadableFile(_("The file must hold the one export it was made from."))
    units = [
        ReturnedUnit(unit.getid().split("\x04")[-1], str(unit.source or ""), str(unit.target or ""))
        for unit in store.getunits()
        if not unit.isheader()
    ]
    return names[0], units


def _check_encoding(content: bytes) -> None:
    """UTF-8 only, as the portal exports it: a NUL byte or UTF-16 could not even be kept to show what was refused."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        valid = False
    else:
        valid = b"\x00" not in content
    if not valid or content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(
            _(
                "The file must be saved as UTF-8, as the portal exported it. Save it again from the translation tool as UTF-8."
            )
        )


def problems_with(unit: Unit, returned: ReturnedUnit) -> list[str]:
    """What is wrong with a translated unit: empty, placeholders or links lost or changed, Markdown structure changed."""
    english, welsh = unit.english, returned.target
    where = unit.where
    if not welsh.strip():
        return [_("%(where)s: the Welsh is empty") % {"where": where}]
    problems = []
    if Counter(PLACEHOLDER.findall(english)) != Counter(PLACEHOLDER.findall(welsh)):
        problems.append(
            _("%(where)s: the Welsh must keep the placeholders %(placeholders)s exactly as they are")
            % {"where": where, "placeholders": ", ".join(sorted(set(PLACEHOLDER.findall(english)))) or "–"}
        )
    if Counter(LINK_TARGET.findall(english)) != Counter(LINK_TARGET.findall(welsh)):
        problems.append(
            _("%(where)s: the Welsh must keep every link, written [text](address), with the same addresses")
            % {"where": where}
        )
    for pattern, name in ((HEADING, _("headings")), (BULLET, _("bullet points")), (NUMBERED, _("numbered items"))):
        if len(pattern.findall(english)) != len(pattern.findall(welsh)):
            problems.append(
                _("%(where)s: the Welsh must have the same number of %(things)s as the English (%(count)s)")
                % {"where": where, "things": name, "count": len(pattern.findall(english))}
            )
    if _paragraphs(english) != _paragraphs(welsh):
        problems.append(
            _("%(where)s: the Welsh must have the same number of paragraphs as the English (%(count)s)")
            % {"where": where, "count": _paragraphs(english)}
        )
    if welsh.strip() == english.strip() and re.search(r"[A-Za-z]{3}", english):
        problems.append(_("%(where)s: the Welsh is the same as the English") % {"where": where})
    return problems


def _paragraphs(text: str) -> int:
    return len([block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()])
