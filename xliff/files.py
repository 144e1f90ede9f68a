"""XLIFF files through translate-toolkit: written for the translation service's tools (Trados, memoQ and the like)
and read back, with the checks a translated unit must pass before its Welsh is used."""

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override
from lxml import etree
from translate.storage import xliff

from portal.text import normalise_newlines

from .models import welsh_counterparts
from .units import Unit

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s", re.MULTILINE)
BULLET = re.compile(r"^\s*[-*]\s", re.MULTILINE)
NUMBERED = re.compile(r"^\s*\d+\.\s", re.MULTILINE)


def build(*, file_id: str, units: list[Unit]) -> bytes:
    store: Any = xliff.xlifffile(sourcelanguage="en", targetlanguage="cy")
    store.setfilename(store.getfilenode("NoName"), file_id)
    for unit in units:
        entry = store.addsourceunit(unit.english, filename=file_id)
        entry.setid(unit.id)
        for language in ("en", "cy"):  # where it appears, for a translator reading either language
            with override(language):
                entry.addnote(str(unit.where), origin="developer")
        if unit.welsh.strip():
            entry.target = unit.welsh
            entry.set_state_n(entry.S_NEEDS_REVIEW if unit.changed and not unit.confirmed else entry.S_TRANSLATED)
        if unit.previous_welsh.strip():
            entry.addalttrans(unit.previous_welsh, origin="last published version", lang="cy")
    return bytes(store)


@dataclass
class ReturnedUnit:
    id: str
    source: str
    target: str
    # Still marked as needing translation or review (the state a translator's tool clears when they confirm it).
    unreviewed: bool = False


class UnreadableFile(ValueError):
    pass


def _doctype(content: bytes) -> str:
    """The DOCTYPE a file declares, read without loading a DTD or expanding an entity ("" when it has none). Entities
    can only be declared in one, so refusing every DOCTYPE refuses them all, whatever the file's encoding."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
    docinfo = etree.fromstring(content, parser).getroottree().docinfo
    return docinfo.doctype if docinfo.doctype or docinfo.internalDTD is not None else ""


def as_utf8(content: bytes) -> bytes:
    """The file in UTF-8, as the portal keeps it: translation tools may write UTF-16. Anything that is not XML is
    returned as it is, for read() to refuse with its message."""
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    try:
        tree = etree.fromstring(content, parser).getroottree()
    except (etree.XMLSyntaxError, ValueError):
        return content
    if (tree.docinfo.encoding or "UTF-8").upper() in ("UTF-8", "UTF8", "US-ASCII", "ASCII"):
        return content
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)


def read(content: bytes) -> tuple[str, list[ReturnedUnit]]:
    """The file id and units of a returned XLIFF file. Raises UnreadableFile with a message for the editor."""
    _check_encoding(content)
    try:
        declares_doctype = _doctype(content)
        store = None if declares_doctype else xliff.xlifffile.parsestring(content)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise UnreadableFile(_("This is not an XLIFF file that can be read: %(error)s") % {"error": error}) from error
    except StopIteration as error:  # translate-toolkit's reader, given XML with no <file> in it
        raise UnreadableFile(
            _("This is not an XLIFF file that can be read: %(error)s") % {"error": _("it has no <file> element")}
        ) from error
    if declares_doctype or store is None:
        raise UnreadableFile(
            _(
                "The file declares a document type (%(doctype)s). A translation file never needs one, and entities it "
                "declares could read other files, so the portal does not accept it: send back the file the portal "
                "exported, with only the Welsh added."
            )
            % {"doctype": declares_doctype}
        )
    if (store.getsourcelanguage() or "").lower()[:2] != "en" or (store.gettargetlanguage() or "").lower()[:2] != "cy":
        raise UnreadableFile(_("The file must translate from English (en) to Welsh (cy)."))
    names = store.getfilenames()
    if len(names) != 1:
        raise UnreadableFile(_("The file must hold the one export it was made from."))
    units = [
        ReturnedUnit(
            unit.getid().split("\x04")[-1],
            normalise_newlines(str(unit.source or "")),
            normalise_newlines(str(unit.target or "")),
            _unreviewed(unit),
        )
        for unit in store.getunits()
        if not unit.isheader()
    ]
    return names[0], units


def _check_encoding(content: bytes) -> None:
    """UTF-8 only, as the portal exports it (read after ``as_utf8``): a NUL byte or UTF-16 could not even be kept to
    show what was refused. Something that is not XML at all (a photo) is left to the parser's own message."""
    if not content.lstrip()[:2].replace(b"\x00", b"").startswith(b"<"):
        return
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


def _unreviewed(unit) -> bool:
    """XLIFF 1.2's target states "new" and "needs-…" say the translator has not confirmed the Welsh yet."""
    target = unit.xmlelement.find(unit.namespaced("target"))
    state = target.get("state", "") if target is not None else ""
    return state == "new" or state.startswith("needs-")


def problems_with(unit: Unit, returned: ReturnedUnit, *, counterparts: dict[str, str] | None = None) -> list[str]:
    """What is wrong with a translated unit: empty, placeholders or links lost or changed, Markdown structure changed.
    ``counterparts`` maps a Welsh address to the English one it stands for (the admin's link pairs): the Welsh may
    link to either."""
    english, welsh = unit.english, returned.target
    counterparts = welsh_counterparts() if counterparts is None else counterparts
    where = unit.where
    if not welsh.strip():
        return [_("%(where)s: the Welsh is empty") % {"where": where}]
    problems = []
    if Counter(PLACEHOLDER.findall(english)) != Counter(PLACEHOLDER.findall(welsh)):
        problems.append(
            _("%(where)s: the Welsh must keep the placeholders %(placeholders)s exactly as they are")
            % {"where": where, "placeholders": ", ".join(sorted(set(PLACEHOLDER.findall(english)))) or "–"}
        )
    welsh_links = Counter(counterparts.get(address, address) for address in LINK_TARGET.findall(welsh))
    if Counter(LINK_TARGET.findall(english)) != welsh_links:
        problems.append(
            _(
                "%(where)s: the Welsh must keep every link, written [text](address), with the same addresses or their "
                "Welsh counterparts listed under “Link pairs” in the admin"
            )
            % {"where": where}
        )
    # Whole sentences, not one with the kind of item slotted in: Welsh mutates the word after "o" (o benawdau).
    structure = (
        (HEADING, _("%(where)s: the Welsh must have the same number of headings as the English (%(count)s)")),
        (BULLET, _("%(where)s: the Welsh must have the same number of bullet points as the English (%(count)s)")),
        (NUMBERED, _("%(where)s: the Welsh must have the same number of numbered items as the English (%(count)s)")),
    )
    for pattern, message in structure:
        if len(pattern.findall(english)) != len(pattern.findall(welsh)):
            problems.append(message % {"where": where, "count": len(pattern.findall(english))})
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
