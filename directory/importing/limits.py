"""What an uploaded staff list may hold, checked before any parser sees it.

A spreadsheet is a zip of XML, so a small file can promise a huge one: a 1.6 KB .xlsx with cells at A1 and XFD1048576
makes python-calamine ask for hundreds of gigabytes and abort the worker, and a zip bomb inflates to gigabytes. So the
zip's members are measured (declared sizes, compression ratio, then the real inflated bytes, which must match), and
the sheet's XML is scanned for the furthest cell it names, all with bounded memory, before calamine is called.
"""

import re
import zipfile
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from lxml import etree

MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024  # a 200,000-person workbook inflates to about 40 MB
MAX_RATIO = 120  # real sheets compress 5–30 times; bombs thousands of times
RATIO_FROM_BYTES = 1024 * 1024  # tiny members (styles, empty sheets) may compress very well
MAX_MEMBERS = 2000
CHUNK = 1024 * 1024
CELL_REFERENCE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def max_rows() -> int:
    return settings.STAFF_IMPORT_MAX_ROWS


def max_columns() -> int:
    return settings.STAFF_IMPORT_MAX_COLUMNS


def max_cell_characters() -> int:
    return settings.STAFF_IMPORT_MAX_CELL_CHARACTERS


def unreadable_workbook_message() -> str:
    return _("The file could not be read as a spreadsheet. Save it again as .xlsx, .ods or CSV UTF-8 and upload it.")


def unsafe_workbook_message() -> str:
    return _(
        "The spreadsheet is larger inside than a staff list can be, or is damaged. Open it, copy the staff list onto "
        "a new sheet in a new workbook, save it as .xlsx, .ods or CSV UTF-8 and upload that."
    )


def too_many_rows(rows: int) -> ValidationError:
    return ValidationError(
        _("The file has %(rows)s rows. A staff list can have at most %(limit)s rows: split it into smaller files.")
        % {"rows": f"{rows:,}", "limit": f"{max_rows():,}"},
        code="too_many_rows",
    )


def too_many_columns(columns: int) -> ValidationError:
    return ValidationError(
        _(
            "The file has %(columns)s columns. A staff list can have at most %(limit)s columns: delete the columns "
            "the portal does not need and upload it again."
        )
        % {"columns": f"{columns:,}", "limit": f"{max_columns():,}"},
        code="too_many_columns",
    )


def check_shape(rows: int, columns: int) -> None:
    if columns > max_columns():
        raise too_many_columns(columns)
    if rows > max_rows() + 1:  # the heading row is not a person
        raise too_many_rows(rows)


def null_character() -> ValidationError:
    return ValidationError(
        _(
            "The file holds a null character (a byte of zero), so it is not a text CSV file. Open it in a "
            "spreadsheet and save it again as CSV UTF-8, .xlsx or .ods."
        ),
        code="nul",
    )


def check_cells(rows: list[list[str]]) -> None:
    """Every cell short enough to be a name, address or code; the first long one is named by row and column.
    No NUL either (a workbook can write one as _x0000_): the database cannot keep it."""
    limit = max_cell_characters()
    for row_number, row in enumerate(rows, start=1):
        for column_number, cell in enumerate(row, start=1):
            if "\x00" in cell:
                raise null_character()
            if len(cell) > limit:
                raise ValidationError(
                    _(
                        "Row %(row)s, column %(column)s holds %(length)s characters. A cell in a staff list can "
                        "hold at most %(limit)s: check that the file is the staff list."
                    )
                    % {"row": row_number, "column": column_number, "length": f"{len(cell):,}", "limit": f"{limit:,}"},
                    code="cell_too_long",
                )


def check_workbook(data: bytes) -> None:
    """Refuse a zip workbook (.xlsx, .ods) whose inflated size, compression or furthest cell is beyond a staff list."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as error:  # not a zip at all: damaged, not hostile
        raise ValidationError(unreadable_workbook_message(), code="bad_workbook") from error
    try:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
            raise ValidationError(unsafe_workbook_message(), code="unsafe_workbook")
        for member in members:
            if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise ValidationError(unsafe_workbook_message(), code="unsafe_workbook")
            _inflate_within(archive, member)
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_xlsx_sheet(archive, member)
            elif member.filename == "content.xml":
                _check_ods_content(archive, member)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, etree.XMLSyntaxError) as error:
        raise ValidationError(unsafe_workbook_message(), code="unsafe_workbook") from error


def _inflate_within(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Inflate the member in chunks: a size header that lies is caught by the CRC check at the end."""
    inflated = 0
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            inflated += len(chunk)
            if inflated > member.file_size:
                raise ValidationError(unsafe_workbook_message(), code="unsafe_workbook")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _events(archive: zipfile.ZipFile, member: zipfile.ZipInfo, tags: tuple[str, ...]):
    """(event, element) for the tags asked, forgetting each finished element so memory stays flat."""
    with archive.open(member) as stream:
        parser = etree.iterparse(
            stream, events=("start", "end"), tag=tags, resolve_entities=False, no_network=True, huge_tree=False
        )
        for event, element in parser:
            yield event, element
            if event == "end":
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del element.getparent()[0]


def _check_xlsx_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """The furthest row and column the sheet's rows and cells name, or reach by position when they name none (and
    its declared dimension), before calamine sizes a grid from them."""
    furthest_row = furthest_column = row = column = 0
    for event, element in _events(archive, member, ("{*}row", "{*}c", "{*}dimension")):
        name = etree.QName(element).localname
        if event == "end":
            if name == "row":  # unnamed cells are counted to the row's end, so the message gives the real width
                check_shape(furthest_row, furthest_column)
            continue
        if name == "dimension":
            for part in element.get("ref", "").split(":"):
                if match := CELL_REFERENCE.match(part.upper()):
                    furthest_column = max(furthest_column, _column_number(match.group(1)))
                    furthest_row = max(furthest_row, int(match.group(2)))
        elif name == "row":
            number = element.get("r") or ""
            row, column = (int(number) if number.isdigit() else row + 1), 0
        elif match := CELL_REFERENCE.match((element.get("r") or "").upper()):
            row, column = int(match.group(2)), _column_number(match.group(1))
        else:
            column += 1  # a cell without a reference is the next one along
            furthest_row, furthest_column = max(furthest_row, row), max(furthest_column, column)
            continue
        furthest_row, furthest_column = max(furthest_row, row), max(furthest_column, column)
        check_shape(furthest_row, furthest_column)


def _repeated(element, attribute: str) -> int:
    try:
        return max(int(element.get(f"{{{ODS_TABLE}}}{attribute}", "1")), 1)
    except ValueError:
        return 1


def _check_ods_content(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """ODS repeats rows and cells by count; only repeats that hold a value make the grid calamine builds bigger."""
    row = furthest_row = furthest_column = 0
    column = 0
    tags = (f"{{{ODS_TABLE}}}table", f"{{{ODS_TABLE}}}table-row", f"{{{ODS_TABLE}}}table-cell")
    for event, element in _events(archive, member, tags):
        name = etree.QName(element).localname
        if name == "table" and event == "start":
            row = 0
        elif name == "table-row" and event == "start":
            row += _repeated(element, "number-rows-repeated")
            column = 0
        elif name == "table-cell" and event == "end":
            column += _repeated(element, "number-columns-repeated")
            if element.get(f"{{{ODS_OFFICE}}}value-type") or len(element):
                furthest_row, furthest_column = max(furthest_row, row), max(furthest_column, column)
                check_shape(furthest_row, furthest_column)
