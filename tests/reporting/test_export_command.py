"""`manage.py export_report`: the HR download from the command line, in either language, for a cycle typed with a hyphen."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ..factories import CycleFactory


@pytest.mark.django_db
def test_export_report_writes_welsh_headings_and_takes_a_hyphen(tmp_path, workforce):
    cycle = workforce[0].attempts.first().cycle
    assert "–" in cycle.name
    typed = cycle.name.replace("–", "-")  # what people type for "2026–27"
    output = tmp_path / "adroddiad.csv"
    call_command("export_report", "--cycle", typed, "--language", "cy", "--output", str(output))
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "Rhif staff"
    assert len(rows) == 9
    assert {row[8] for row in rows[1:]} <= {
        "Wedi cwblhau",
        "Wedi pasio, heb gadarnhau",
        "Yn mynd rhagddo",
        "Heb ddechrau",
    }
    xlsx = tmp_path / "report.xlsx"
    call_command("export_report", "--cycle", typed, "--format", "xlsx", "--output", str(xlsx))
    cells = {
        cell
        for sheet in load_workbook(xlsx, read_only=True)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert "Staff number" in cells and "Rhif staff" not in cells  # English unless asked for Welsh


@pytest.mark.django_db
def test_export_report_names_the_cycles_it_knows_when_one_is_not_found():
    CycleFactory(name="2026–27")
    with pytest.raises(CommandError, match="2026–27"):
        call_command("export_report", "--cycle", "2030-31")
