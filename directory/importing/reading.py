"""Read an uploaded staff list into headings and rows of text, whatever HR saved it as.

CSV is read by Python's csv module with RFC 4180 quoting (doubled quotes inside quoted cells); .xlsx, .xls and .ods
by python-calamine. The format is told from the file's content, not only its name, so an Excel workbook renamed
``.csv`` still reads.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineError, load_workbook

from portal.text import normalise_newlines

from . import limits

DELIMITERS = (",", ";", "\t")
ZIP_MAGIC = b"PK\x03\x04"  # .xlsx and .ods are zip files
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAMPLE_ROWS = 50  # the rows the column-matching page takes its examples from
WORKBOOK_BYTES_PER_ROW = 40  # a staff list's row, zipped in an .xlsx or .ods: 40 to 60 bytes


@dataclass
class Table:
    headings: list[str]
    rows: list[list[str]]  # rows[0] is spreadsheet row 2
    file_format: str

    def as_json(self) -> dict:
        # "sample" repeats the headings and first rows, so the column-matching page reads them alone (selectors.py).
        sample = {"headings": self.headings, "rows": self.rows[:SAMPLE_ROWS]}
        return {"headings": self.headings, "rows": self.rows, "format": self.file_format, "sample": sample}

    @classmethod
    def from_json(cls, value: dict) -> "Table":
        return cls(headings=value["headings"], rows=value["rows"], file_format=value.get("format", "csv"))


def likely_rows(data: bytes) -> int:
    """About how many rows a file holds, without reading it (a few milliseconds for 200,000 rows): its line breaks
    for text, never fewer than its rows; its size for a workbook, which is compressed."""
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return len(data) // WORKBOOK_BYTES_PER_ROW
    return max(data.count(b"\n"), data.count(b"\r"))


def save_as_utf8_message() -> str:
    return _(
        "The file is not saved as UTF-8, so Welsh letters such as ŵ and ŷ would be lost. In Excel choose "
        "File > Save As > “CSV UTF-8 (Comma delimited) (*.csv)”; in LibreOffice Calc choose “Text CSV” with the "
        "character set “Unicode (UTF-8)”. Then upload the new file. You can also upload the .xlsx or .ods file itself."
    )


def read_table(data: bytes, filename: str = "") -> Table:
    """Headings and rows as stripped text. Raises ValidationError with a message HR can act on."""
    if not data.strip():
        raise ValidationError(_("The file is empty."), code="empty")
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return _read_workbook(data, filename)
    if data.startswith(UTF16_BOMS) or _looks_utf16(data):
        raise ValidationError(save_as_utf8_message(), code="not_utf8")
    if b"\x00" in data:
        raise limits.null_character()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(save_as_utf8_message(), code="not_utf8") from error
    return _read_csv(text)


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: text where every other byte is zero (ASCII in UTF-16LE or BE)."""
    sample = data[:4096]
    return len(sample) >= 4 and max(sample[0::2].count(0), sample[1::2].count(0)) > len(sample) // 4


def _delimiter(heading_line: str) -> str:
    """The separator used most in the heading row, counting only outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for character in heading_line:
        if character == '"':
            quoted = not quoted
        elif not quoted and character in counts:
            counts[character] += 1
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(text: str) -> Table:
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), quotechar='"', doublequote=True
    )
    rows: list[list[str]] = []
    try:
        for row in reader:
            # Checked as they are read, so 100,000 headings are refused before anything else is built.
            limits.check_shape(len(rows) + 1, len(row))
            rows.append([normalise_newlines(cell).strip() for cell in row])
    except csv.Error as error:
        raise ValidationError(
            _("Row %(row)s could not be read as CSV (%(error)s). Check the quotes in that row.")
            % {"row": reader.line_num, "error": error},
            code="bad_csv",
        ) from error
    return _table(rows, "csv")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a staff number typed as 1001 is read back as 1001.0
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return normalise_newlines(str(value)).strip()


def _read_workbook(data: bytes, filename: str) -> Table:
    if data.startswith(ZIP_MAGIC):
        limits.check_workbook(data)  # before calamine sizes a grid from what the file claims
    try:
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook.get_sheet_by_index(0)
        limits.check_shape(sheet.height, sheet.width)
        rows = [[_cell_text(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]
    except (CalamineError, ValueError, OSError) as error:
        raise ValidationError(limits.unreadable_workbook_message(), code="bad_workbook") from error
    file_format = "ods" if filename.lower().endswith(".ods") or b"opendocument" in data[:200] else "xlsx"
    return _table(rows, file_format)


def _table(rows: list[list[str]], file_format: str) -> Table:
    while rows and not any(rows[0]):
        rows.pop(0)  # blank lines above the headings
    if not rows:
        raise ValidationError(_("The file is empty."), code="empty")
    headings = rows[0]
    while headings and not headings[-1]:
        headings.pop()
    if not headings:
        raise ValidationError(_("The first row must hold the column headings."), code="no_headings")
    limits.check_cells(rows)
    body = rows[1:]
    while body and not any(body[-1]):
        body.pop()
    if not body:
        raise ValidationError(_("The file has a heading row but no people."), code="no_rows")
    return Table(headings=headings, rows=body, file_format=file_format)
