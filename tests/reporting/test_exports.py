import csv
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from directory.services import import_staff
from portal.models import User
from reporting.exports import neutralise

from .conftest import complete

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize("value", ["=SUM(A1)", "+1", "-1", "@cmd", "\tx", "\rx"])
def test_formula_cells_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_cells_are_left_alone():
    assert neutralise("Ffion") == "Ffion"
    assert neutralise(5) == 5


def test_round_trip_import_complete_export(client, hr, cycle, content):
    import_staff(
        data=(
            b"staff_number,email,first_name,last_name,department_code,department_name_en,department_name_cy,"
            b"line_manager_staff_number,preferred_language,active\n"
            b'2001,gwen@gov.wales,Gwen,=HYPERLINK("x"),EDU,Education,Addysg,,cy,yes\n'
            b"2002,ioan@gov.wales,Ioan,Rees,EDU,Education,Addysg,2001,en,yes\n"
        ),
        full=False,
    )
    gwen = User.objects.get(staff_number="2001")
    complete(gwen, cycle, content)
    client.force_login(hr)
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    dashed = cycle.name.replace("–", "-")
    assert f'filename="social-media-guidance-{dashed}-all-staff-en-' in response["Content-Disposition"]
    rows = read_csv(response)
    header, body = rows[0], rows[1:]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_number["2001"]["Status"] == "Completed"
    assert by_number["2001"]["Last name"] == '\'=HYPERLINK("x")'
    assert by_number["2001"]["Reference"].startswith("SMG-")
    assert by_number["2001"]["Guidance version"] == "1"
    assert by_number["2002"]["Status"] == "Not started"
    assert by_number["2002"]["Line manager staff number"] == "2001"
    # Nothing to show is an empty cell, never a placeholder: no score, no declaration, no line manager.
    assert by_number["2002"]["Best score"] == "" and by_number["2002"]["Guidance version"] == ""
    assert by_number["2001"]["Line manager staff number"] == ""
    outstanding = read_csv(client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv&outstanding=on"))
    outstanding_numbers = [row[0] for row in outstanding[1:]]
    assert "2002" in outstanding_numbers and "2001" not in outstanding_numbers
    xlsx = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    values = [list(row) for row in workbook["All staff"].iter_rows(values_only=True)]
    assert values[0][0] == "Staff number"
    assert any(row[0] == "2001" and row[8] == "Completed" for row in values[1:])


def test_bad_download_parameters_get_a_clear_400(client, hr, cycle):
    client.force_login(hr)
    assert client.get("/en/hr/download/?format=pdf").status_code == 400
    assert client.get("/en/hr/download/?cycle=abc&format=csv").status_code == 400


def test_export_report_command(tmp_path, workforce, cycle):
    output = tmp_path / "report.csv"
    call_command("export_report", "--cycle", cycle.name, "--format", "csv", "--output", str(output))
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 9
    xlsx = tmp_path / "report.xlsx"
    call_command("export_report", "--format", "xlsx", "--outstanding", "--output", str(xlsx))
    sheet = load_workbook(xlsx, read_only=True)["Outstanding"]
    assert sum(1 for _row in sheet.iter_rows()) == 6
