"""The hostile uploads step of `make faults`: while ten people use the portal, HR's import page is sent files made to
hurt a worker (a workbook naming cell XFD1048576, a zip bomb, an ODS repeating a filled row a million times, a CSV with
100,000 headings, NUL bytes, UTF-16 without a byte order mark) and the SCIM endpoint 5,000 nested brackets without a
token. Each must be answered (no 5xx, no dropped connection), no gunicorn worker may be replaced, and the people's
load must see no error.
"""

import http.client
import io
import re
import subprocess
import time
import urllib.parse
import zipfile

from bench.faults_load import at_work

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ROUNDS = 3
HEADER = "staff_number,email,first_name,last_name\n"


def _xlsx(cells: dict, padding: bytes = b"") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for reference, value in cells.items():
        workbook.active[reference] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not padding:
        return buffer.getvalue()
    source, out = zipfile.ZipFile(buffer), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<sheetData>", padding + b"<sheetData>")
            target.writestr(info.filename, content)
    return out.getvalue()


def _ods_repeated_row() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document, table = OpenDocumentSpreadsheet(), Table(name="Staff")
    row = TableRow(numberrowsrepeated=1_000_000)
    cell = TableCell(valuetype="string")
    cell.addElement(P(text="1001"))
    row.addElement(cell)
    table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def hostile_files() -> list[tuple[str, str, bytes]]:
    """(what, file name, content): each small on the wire, each far larger or stranger once read."""
    return [
        ("far_cell_xlsx", "staff.xlsx", _xlsx({"A1": "Staff number", "XFD1048576": "x"})),
        ("zip_bomb_xlsx", "staff.xlsx", _xlsx({"A1": "Staff number"}, b"<!--" + b" " * (80 * 1024 * 1024) + b"-->")),
        ("ods_million_rows", "staff.ods", _ods_repeated_row()),
        ("csv_100000_headings", "staff.csv", (",".join(f"h{n}" for n in range(100_000)) + "\n1\n").encode()),
        ("csv_nul", "staff.csv", (HEADER + "1001,a@gov.wales,Ff\x00ion,Jones\n").encode()),
        ("csv_utf16_no_bom", "staff.csv", (HEADER + "1001,a@gov.wales,Ffion,Jones\n").encode("utf-16-le")),
    ]


def _request(base: str, method: str, path: str, *, body=None, headers=None, timeout=60, cookies=None):
    """(status or None when no answer came, text); Set-Cookie values are put into ``cookies``."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and cookies is not None:
                name, _sep, rest = value.partition("=")
                cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        return None, str(error)
    finally:
        connection.close()


def upload(base: str, cookie: str, name: str, data: bytes) -> tuple[int | None, float]:
    """One upload through HR's import page as a browser sends it; (status, seconds)."""
    cookies = dict([cookie.split("=", 1)])
    status, page = _request(base, "GET", "/en/hr/import/", headers={"Cookie": cookie}, cookies=cookies)
    token = CSRF.search(page)
    if status != 200 or not token:
        return status, 0.0
    boundary = "----faults" + str(time.monotonic_ns())
    body = b"".join([
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token.group(1)}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"\r\n\r\n\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode(),
        b"Content-Type: application/octet-stream\r\n\r\n", data, f"\r\n--{boundary}--\r\n".encode(),
    ])  # fmt: skip
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()), "Content-Type": f"multipart/form-data; boundary={boundary}",
               "Referer": base + "/en/hr/import/", "Host": urllib.parse.urlsplit(base).netloc}  # fmt: skip
    started = time.monotonic()
    status, _text = _request(base, "POST", "/en/hr/import/", body=body, headers=headers)
    return status, round(time.monotonic() - started, 2)


def workers(master_pid: int) -> set[int]:
    output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    return {int(pid) for pid in output.split()}


def run_uploads(portal, django_script: str, people_count: int, baseline: float) -> dict:
    cookie = portal.django(django_script, "hr")["cookie"]
    files = hostile_files()
    before = workers(portal.gunicorn.process.pid)
    answers: dict[str, list] = {}
    with at_work(portal.base, portal.pool, portal.shared, people_count, health=[]) as record:
        time.sleep(baseline)
        for _round in range(ROUNDS):
            for what, name, data in files:
                answers.setdefault(what, []).append(upload(portal.base, cookie, name, data))
            status, _text = _request(portal.base, "POST", "/scim/v2/Users", body=b"[" * 5000,
                                     headers={"Content-Type": "application/scim+json"})  # fmt: skip
            answers.setdefault("scim_5000_brackets_no_token", []).append((status, 0.0))
        time.sleep(baseline)
    after = workers(portal.gunicorn.process.pid)
    events = list(record.events)
    refused_well = {what: all(status in (200, 401) for status, _s in results) for what, results in answers.items()}
    return {
        "fault": "hostile_uploads",
        "requests": len(events),
        "error_responses": sum(1 for event in events if event[3] == "error"),
        "uploads": {what: [status for status, _s in results] for what, results in answers.items()},
        "slowest_upload_seconds": max(seconds for results in answers.values() for _status, seconds in results),
        "upload_sizes_bytes": {what: len(data) for what, _name, data in files},
        "workers_replaced": len(before - after),
        "detail": {"gunicorn_running": portal.gunicorn.alive(), "refused_with_a_page": refused_well,
                   "worker_running": portal.worker.alive()},
    }  # fmt: skip


def targets_met(result: dict) -> dict:
    return {
        "no_error_responses": result["error_responses"] == 0,
        "every_upload_answered_without_5xx": all(result["detail"]["refused_with_a_page"].values()),
        "no_worker_killed": result["workers_replaced"] == 0 and result["detail"]["gunicorn_running"],
    }
