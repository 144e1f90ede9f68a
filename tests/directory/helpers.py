"""Files HR really have, made the way their tools make them, and the upload journey through the pages."""

import datetime
import io
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

FILES = Path(__file__).parent / "files"
ENTRA_EXPORT = FILES / "entra-download-users.csv"
RFC4180_CSV = FILES / "rfc4180-doubled-quotes.csv"

HEADER = (
    "staff_number,email,first_name,last_name,department_code,department_name_en,department_name_cy,"
    "line_manager_staff_number,preferred_language,active\n"
)
GOOD = (
    HEADER
    + "1001,ffion.jones@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n"
    + "1002,owain.ap.dafydd@gov.wales,Owain,ap Dafydd,EDU,Education,Addysg,1001,cy,yes\n"
    + "1003,sam.smith@gov.wales,Sam,Smith,HSS,Health,Iechyd,1001,en,yes\n"
)

# An HR system's own workbook: its own headings, numbers typed as numbers, real date and TRUE/FALSE cells.
XLSX_HEADINGS = [
    "Employee Number",
    "Forename",
    "Surname",
    "Email Address",
    "Department",
    "Line Manager",
    "Language",
    "Start Date",
    "Active",
]
XLSX_ROWS = [
    [
        5001,
        "Llŷr",
        "Ŵyn-Jones",
        "llyr.wyn-jones@gov.wales",
        "Education",
        None,
        "Cymraeg",
        datetime.date(2026, 4, 1),
        True,
    ],
    [5002, "Siôn", "Prŷs", "sion.prys@gov.wales", "Education", 5001, "Welsh", datetime.date(2025, 9, 15), True],
    [5003, "Mary", "O'Neill", "mary.oneill@gov.wales", "Climate Change", 5001, "English", None, False],
]


def xlsx_bytes(headings=XLSX_HEADINGS, rows=XLSX_ROWS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods_bytes(headings=XLSX_HEADINGS, rows=XLSX_ROWS) -> bytes:
    """An OpenDocument spreadsheet written by odfpy, as LibreOffice Calc would save it."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Staff")
    for values in [headings, *rows]:
        row = TableRow()
        for value in values:
            if value is None:
                cell = TableCell()
            elif isinstance(value, bool):
                cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower())
                cell.addElement(P(text=str(value).upper()))
            elif isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.isoformat()))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="staff.csv", *, full=False, language="en"):
    """Upload a file; returns the response (a redirect to the column step when the file could be read)."""
    prefix = "/cy/ad/mewnforio/" if language == "cy" else "/en/hr/import/"
    fields = {"file": SimpleUploadedFile(name, data), "upload": ""}
    if full:
        fields["full"] = "on"
    return client.post(prefix, fields)


def accept_columns(client, columns_url: str, **changes):
    """Post the column-matching form as the page filled it, with any changes."""
    page = client.get(columns_url).content.decode()
    fields = {"continue": ""}
    for name, value in _selected(page):
        fields[name] = value
    checked = [tag for tag in re.findall(r"<input[^>]*>", page) if 'name="preset"' in tag and "checked" in tag]
    fields["preset"] = re.search(r'value="(\w+)"', checked[0]).group(1) if checked else "custom"
    fields.update(changes)
    return client.post(columns_url, fields)


def _selected(page: str) -> list[tuple[str, str]]:
    chosen = []
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, flags=re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen.append((name, match.group(1) if match else ""))
    return chosen


def is_progress(url: str) -> bool:
    return "/hr/progress/" in url or "/ad/cynnydd/" in url


def through_progress(client, url: str, worker=None) -> str:
    """Where a redirect leads: past a progress page (a large file's check), once the worker has run."""
    if not is_progress(url):
        return url
    assert worker is not None, f"{url}: a large file is checked by the worker; pass worker=deliver_outbox"
    worker()
    response = client.get(url)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def upload_and_preview(
    client, data: bytes, name="staff.csv", *, full=False, language="en", worker=None, **column_changes
):
    """Upload, accept the matched columns; returns (preview URL, preview page text). A large file passes through
    the progress page twice (reading, then checking with the chosen columns): ``worker`` runs the worker then."""
    response = upload(client, data, name, full=full, language=language)
    assert response.status_code == 302, response.content.decode()[:3000]
    columns = accept_columns(client, through_progress(client, response["Location"], worker), **column_changes)
    assert columns.status_code == 302, columns.content.decode()[:5000]
    preview = through_progress(client, columns["Location"], worker)
    return preview, client.get(preview).content.decode()
