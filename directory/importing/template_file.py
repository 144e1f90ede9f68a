"""The downloadable template: the import's headings in the page's language and one example row."""

import csv
import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from .columns import FIELDS


def example_row() -> list[str]:
    return [
        "1001",
        "llyr.evans@gov.wales",
        "Llŷr",
        "Evans",
        "EDU",
        "Education",
        "Addysg",
        "1000",
        _("Welsh"),
        "2026-04-01",
        _("Yes"),
        _("Member"),
    ]


def headings() -> list[str]:
    return [str(field.label) for field in FIELDS]


def filename(extension: str) -> str:
    return f"{_('staff-list-template')}-{(get_language() or 'en')[:2]}.{extension}"


def csv_bytes() -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerows([headings(), example_row()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the byte order mark tells Excel the file is UTF-8


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Staff")
    sheet.append(headings())
    sheet.append(example_row())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, heading in zip(sheet.columns, headings(), strict=True):
        sheet.column_dimensions[column[0].column_letter].width = max(len(heading), 14) + 2
    for cell in sheet["A"]:
        cell.number_format = "@"  # staff numbers stay text, leading zeros included
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
