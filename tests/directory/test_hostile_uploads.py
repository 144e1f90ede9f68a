"""Files made to hurt a worker: each is refused at upload with a message HR can act on, before any parser sees it.

The files are built here, small, the way an attacker would: a workbook naming a cell at XFD1048576, a zip bomb,
a CSV with 100,000 headings, NUL bytes, UTF-16 without a byte order mark.
"""

import html
import io
import zipfile

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from directory.importing import limits, reading
from directory.models import StaffImport

from .helpers import GOOD, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_parser(monkeypatch):
    """The checks must refuse the file before python-calamine is called at all."""

    def parser_reached(*args, **kwargs):
        raise AssertionError("calamine was given a file the checks should have refused")

    monkeypatch.setattr(reading, "load_workbook", parser_reached)


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def refused(client, data: bytes, name: str, language="en") -> str:
    """The upload page's error message for a file, checking nothing was kept."""
    response = upload(client, data, name, language=language)
    assert response.status_code == 200, response.status_code
    page = html.unescape(response.content.decode())
    assert "govuk-error-summary" in page
    assert not StaffImport.objects.exists()
    return page


def far_cell_xlsx(*, keep_dimension: bool) -> bytes:
    """1–2 KB: a cell at A1 and one at XFD1048576, which makes calamine size a 17 billion cell grid."""
    workbook = Workbook()
    workbook.active["A1"] = "Staff number"
    workbook.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    if keep_dimension:
        return buffer.getvalue()
    return _rewrite(
        buffer.getvalue(), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b'<dimension ref="A1:XFD1048576"/>', b"")
    )


def _rewrite(data: bytes, member: str, change, extra: dict | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == member else content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("keep_dimension", [True, False])
def test_a_workbook_naming_a_far_cell_is_refused_not_a_dead_worker(no_parser, hr_client, keep_dimension):
    data = far_cell_xlsx(keep_dimension=keep_dimension)
    assert len(data) < 8000
    page = refused(hr_client, data, "staff.xlsx")
    # With the dimension both are known at once (columns are named first); without it row 1048576 is met first.
    expected = "16,384 columns" if keep_dimension else "1,048,576 rows"
    assert f"The file has {expected}. A staff list can have at most" in page


def test_a_zip_bomb_is_refused_by_its_compression_ratio(no_parser, hr_client):
    padding = b"<!--" + b" " * (3 * 1024 * 1024) + b"-->"  # 3 MB that deflates to a few KB
    data = _rewrite(
        xlsx_bytes(), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>")
    )
    assert len(data) < 60_000
    page = refused(hr_client, data, "staff.xlsx")
    assert "larger inside than a staff list can be" in page


def test_a_workbook_too_large_inside_is_refused_even_when_it_compresses_plainly(no_parser, hr_client, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 200_000)
    noise = bytes(range(256)) * 1200  # 300 KB that hardly compresses
    data = _rewrite(xlsx_bytes(), "", lambda xml: xml, extra={"xl/media/photo.bin": noise})
    page = refused(hr_client, data, "staff.xlsx", language="cy")
    assert "Mae'r daenlen yn fwy y tu mewn" in page


def test_a_zip_whose_size_header_lies_is_refused(no_parser, hr_client):
    data = bytearray(_rewrite(xlsx_bytes(), "", lambda xml: xml, extra={"xl/big.xml": b"a" * 50_000}))
    # Make both size fields of xl/big.xml (local header and central directory) claim 500 bytes.
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(header, start)) != -1:
            name_length_at = start + (26 if header == b"PK\x03\x04" else 28)
            name_length = int.from_bytes(data[name_length_at : name_length_at + 2], "little")
            name_at = start + (30 if header == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + name_length]) == b"xl/big.xml":
                data[start + offset : start + offset + 4] = (500).to_bytes(4, "little")
            start += 4
    page = refused(hr_client, bytes(data), "staff.xlsx")
    assert "larger inside than a staff list can be, or is damaged" in page


def test_an_ods_repeating_a_filled_row_a_million_times_is_refused(no_parser, hr_client):
    document = OpenDocumentSpreadsheet()
    table = Table(name="Staff")
    heading = TableRow()
    heading.addElement(TableCell(valuetype="string"))
    heading.firstChild.addElement(P(text="Staff number"))
    table.addElement(heading)
    repeated = TableRow(numberrowsrepeated=1_000_000)
    cell = TableCell(valuetype="string")
    cell.addElement(P(text="1001"))
    repeated.addElement(cell)
    table.addElement(repeated)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    page = refused(hr_client, buffer.getvalue(), "staff.ods")
    assert "The file has 1,000,001 rows" in page


def test_a_csv_with_100000_headings_is_refused_at_upload(hr_client):
    data = (",".join(f"h{number}" for number in range(100_000)) + "\n" + "1" * 5 + "\n").encode()
    page = refused(hr_client, data, "staff.csv")
    assert "The file has 100,000 columns. A staff list can have at most 200 columns" in page


def test_too_many_rows_is_refused_with_the_limit(hr_client, settings):
    settings.STAFF_IMPORT_MAX_ROWS = 2
    page = refused(hr_client, GOOD.encode(), "staff.csv")
    assert "The file has 4 rows. A staff list can have at most 2 rows" in page
    settings.STAFF_IMPORT_MAX_ROWS = 3
    assert upload(hr_client, GOOD.encode(), "staff.csv").status_code == 302  # three people and headings fit


def test_a_cell_longer_than_a_name_can_be_is_refused(hr_client):
    page = refused(hr_client, GOOD.replace("Ffion", "F" * 1001).encode(), "staff.csv")
    assert "Row 2, column 3 holds 1,001 characters. A cell in a staff list can hold at most 1,000" in page
    page = refused(hr_client, xlsx_bytes(rows=[[5001, "L" * 1001]]), "staff.xlsx", language="cy")
    assert "Mae 1,001 o nodau yn rhes 2, colofn 2" in page


def test_a_nul_byte_in_a_cell_is_a_message_not_a_500(hr_client):
    page = refused(hr_client, GOOD.replace("Ffion", "Ff\x00ion").encode(), "staff.csv")
    assert "The file holds a null character" in page
    page = refused(hr_client, xlsx_bytes(rows=[[5001, "Ff_x0000_ion"]]), "staff.xlsx")  # calamine reads a NUL
    assert "The file holds a null character" in page


def test_utf16_without_a_byte_order_mark_is_told_to_save_as_utf8(hr_client):
    for encoding in ("utf-16-le", "utf-16-be"):
        page = refused(hr_client, GOOD.encode(encoding), "staff.csv")
        assert "CSV UTF-8 (Comma delimited)" in page


def test_a_workbook_placing_cells_by_position_alone_is_measured_too(no_parser, hr_client):
    """Cells may omit their references: 300 unnamed cells in one row are still 300 columns."""
    far_row = b'<row r="5">' + b"<c><v>1</v></c>" * 300 + b"</row></sheetData>"
    data = _rewrite(
        xlsx_bytes(),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", far_row).replace(b'<dimension ref="A1:I4"/>', b""),
    )
    page = refused(hr_client, data, "staff.xlsx")
    assert "The file has 300 columns. A staff list can have at most 200 columns" in page
