"""A declaration as a printable one-page PDF: the person's language first, the other language below.

Drawn by WeasyPrint from an HTML template, so it uses the same translations and date formats as the pages; the
links in it are absolute (``PORTAL_BASE_URL``) because a printed or saved page has no address to be relative to.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Acknowledgement

OTHER = {"en": "cy", "cy": "en"}


def record_languages(record: Acknowledgement) -> list[str]:
    first = record.language if record.language in OTHER else "en"
    return [first, OTHER[first]]


def record_html(record: Acknowledgement) -> str:
    sections = []
    for language in record_languages(record):
        with override(language):
            sections.append(
                render_to_string(
                    "assessments/record_pdf_section.html",
                    {
                        "record": record,
                        "person": record.user,
                        "language": language,
                        "confirmation_url": settings.PORTAL_BASE_URL + record.get_absolute_url(),
                        "guidance_url": settings.PORTAL_BASE_URL + record.guidance_version.get_absolute_url(),
                    },
                )
            )
    first = record_languages(record)[0]
    with override(first):  # the document's title, as a PDF reader shows it, in the language that comes first
        title = _("Record of your declaration %(reference)s – Social media guidance") % {"reference": record.reference}
    return render_to_string("assessments/record_pdf.html", {"sections": sections, "language": first, "title": title})


def record_pdf(record: Acknowledgement) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this download needs

    # PDF/UA: tagged, so a screen reader reads the record in order, with its headings, title and language.
    return HTML(string=record_html(record), base_url=settings.PORTAL_BASE_URL).write_pdf(pdf_variant="pdf/ua-1")


def record_filename(record: Acknowledgement) -> str:
    return f"{record.reference}.pdf"
