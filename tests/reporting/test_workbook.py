"""The XLSX report read back with openpyxl: typed cells, formats, frozen heading, filter, widths, Summary sheet."""

import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Acknowledgement
from tests.factories import CycleFactory, DepartmentFactory, UserFactory

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(db):
    return CycleFactory(name="2026–27", is_current=True)


def download(client, cycle, *, language="en", outstanding=False):
    path = "/en/hr/download/" if language == "en" else "/cy/ad/lawrlwytho/"
    query = f"?cycle={cycle.pk}&format=xlsx" + ("&outstanding=on" if outstanding else "")
    response = client.get(path + query)
    assert response.status_code == 200, response
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def report(client, hr, cycle, content):
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    gwen = UserFactory(
        staff_number="00123", first_name="Gwen", last_name='=HYPERLINK("http://evil.example","x")', department=education
    )
    complete(gwen, cycle, content)
    for index in range(5):
        UserFactory(staff_number=f"0020{index}", department=education, first_name="Ioan", last_name="Rees")
    client.force_login(hr)
    return gwen


def rows_by_staff_number(sheet):
    values = list(sheet.iter_rows())
    return values[0], {row[0].value: row for row in values[1:]}


def test_people_sheet_cells_are_typed(client, cycle, report):
    _response, workbook = download(client, cycle)
    assert workbook.sheetnames == ["Summary", "All staff"]
    header, people = rows_by_staff_number(workbook["All staff"])
    column = {cell.value: index for index, cell in enumerate(header)}
    gwen = people["00123"]
    # A staff number with a leading zero is text, so the zero survives.
    assert gwen[column["Staff number"]].data_type == "s"
    # A formula-like name is stored as a text cell, exactly as typed: no apostrophe and nothing a spreadsheet runs.
    name = gwen[column["Last name"]]
    assert name.data_type == "s"
    assert name.value == '=HYPERLINK("http://evil.example","x")'
    assert name.number_format == "@"
    acknowledged = gwen[column["Date confirmed"]]
    assert acknowledged.is_date and acknowledged.number_format == "yyyy-mm-dd hh:mm"
    stored = Acknowledgement.objects.get(user=report).created_at
    # UK local time, as the page shows it (spreadsheets have no time zones).
    assert abs((acknowledged.value - timezone.localtime(stored).replace(tzinfo=None)).total_seconds()) < 0.01
    for heading in ("Best score", "Attempts", "Guidance version"):
        assert gwen[column[heading]].data_type == "n" and isinstance(gwen[column[heading]].value, int)
    assert gwen[column["Best score"]].value == 6
    not_started = people["00200"]
    assert not_started[column["Date confirmed"]].value is None
    assert not_started[column["Attempts"]].value == 0


def test_people_sheet_has_frozen_heading_filter_and_widths(client, cycle, report):
    _response, workbook = download(client, cycle)
    sheet = workbook["All staff"]
    assert sheet.freeze_panes == "A2"
    # Everyone in scope: the six in Education and the HR officer downloading it.
    assert sheet.auto_filter.ref == "A1:Q8"
    assert all(cell.font.bold for cell in sheet[1])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMNOPQ"}
    # Wide enough for the heading and for the longest value in the column, never absurdly wide.
    assert widths["A"] >= len("Staff number")
    assert widths["C"] >= len('=HYPERLINK("http://evil.example","x")')
    assert widths["D"] >= max(len(cell.value) for cell in sheet["D"])
    assert widths["J"] >= len("2026-12-01")  # the person's own due date
    assert widths["L"] >= len("2026-12-01 09:30")
    assert all(8 <= width <= 50 for width in widths.values())


def test_summary_sheet_has_the_cycle_figures_by_department(client, hr, cycle, report):
    other = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    UserFactory(department=other)
    _response, workbook = download(client, cycle)
    sheet = workbook["Summary"]
    assert workbook.worksheets[0].title == "Summary"
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Department code",
        "Department",
        "In scope",
        "Completed",
        "Passed, not confirmed",
        "In progress",
        "Not started",
        "Overdue",
        "Outstanding",
        "Complete",
        "Exempt (not counted)",
        "Left (not counted)",
    ]
    hr_department = hr.department.code  # the HR officer is in scope too, in a department of their own
    assert [row[0] for row in rows[1:4]] == sorted(["EDU", "HSS", hr_department])
    by_code = {row[0]: row for row in rows[1:4]}
    assert by_code["EDU"][1:9] == ["Education", 6, 1, 0, 0, 5, 0, 5]
    assert by_code["HSS"][1:9] == ["Health", 1, 0, 0, 0, 1, 0, 1]
    assert rows[4][1:9] == ["All departments", 8, 1, 0, 0, 7, 0, 7]
    education = next(row for row in sheet.iter_rows(min_row=2, max_row=4) if row[0].value == "EDU")
    assert education[9].value == pytest.approx(1 / 6, abs=0.0001) and education[9].number_format == "0%"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:L4"
    details = {row[0]: row[1] for row in rows[6:]}
    assert details["Cycle"] == "2026–27"
    assert details["Due on"] == datetime.combine(cycle.due_on, datetime.min.time())
    due = next(row for row in sheet.iter_rows() if row[0].value == "Due on")
    assert due[1].is_date and due[1].number_format == "yyyy-mm-dd"


def test_welsh_workbook_has_welsh_sheet_and_column_names_and_file_name(client, cycle, report):
    response, workbook = download(client, cycle, language="cy", outstanding=True)
    assert workbook.sheetnames == ["Crynodeb", "Heb gwblhau"]
    header = [cell.value for cell in workbook["Heb gwblhau"][1]]
    assert header[0] == "Rhif staff"
    disposition = response["Content-Disposition"]
    assert "2026-27" in disposition and "-cy-" in disposition and disposition.endswith('.xlsx"')
    english, _workbook = download(client, cycle, outstanding=True)
    assert "2026-27" in english["Content-Disposition"] and "-en-" in english["Content-Disposition"]
    assert english["Content-Disposition"] != disposition


def test_csv_keeps_its_bom_and_neutralising(client, cycle, report):
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv")
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "00123" in text
    assert "social-media-guidance-2026-27-all-staff-en-" in response["Content-Disposition"]


def test_every_directory_column_is_wide_enough_for_its_longest_value(client, cycle, report):
    manager = UserFactory(first_name="Maredudd-Bartholomew", last_name="Llewellyn-Vaughan", staff_number="M1")
    division = DepartmentFactory(
        code="EDUCATION-SKILLS", name_en="Education, Skills and Welsh Language Division", name_cy="Addysg a Sgiliau"
    )
    UserFactory(
        staff_number="SN-000000000042", first_name="Gwenllian-Angharad", last_name="Rees", department=division,
        line_manager=manager,
    )  # fmt: skip
    _response, workbook = download(client, cycle)
    sheet = workbook["All staff"]
    for column in "ABCDEFG":  # staff number, names, email, department code and name, line manager
        longest = max(len(str(cell.value or "")) for cell in sheet[column])
        assert sheet.column_dimensions[column].width >= min(longest + 2, 50), column


def test_summary_lists_people_with_no_department_last_and_fits_its_names(client, hr, cycle, report):
    UserFactory(department=None)
    long_name = DepartmentFactory(
        code="ZZ-CORPORATE-DIGITAL", name_en="Corporate Services and Digital Transformation", name_cy="Gwasanaethau"
    )
    UserFactory(department=long_name)
    _response, workbook = download(client, cycle)
    sheet = workbook["Summary"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    total = next(index for index, row in enumerate(rows) if row[1] == "All departments")
    assert rows[total - 1][:3] == [None, "No department", 1]  # after every department, with no code
    assert rows[total - 2][0] == "ZZ-CORPORATE-DIGITAL"
    assert rows[total][0] is None and sheet.cell(total + 1, 2).font.bold  # the totals row: no code, in bold
    for column in "AB":
        longest = max(len(str(cell.value or "")) for cell in sheet[column][: total + 1])
        assert sheet.column_dimensions[column].width >= min(longest + 2, 50), column


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_summary_heading_fits_its_column(client, hr, cycle, report, language):
    _response, workbook = download(client, cycle, language=language)
    sheet = workbook.worksheets[0]
    for heading in sheet[1]:
        width = sheet.column_dimensions[heading.column_letter].width
        assert width >= len(heading.value) + 2, (heading.value, width)


def test_a_department_with_nobody_in_scope_is_0_percent_complete(client, hr, cycle, report):
    from cycles.services import exempt_person

    away = DepartmentFactory(code="AWAY", name_en="Secondments", name_cy="Secondiadau")
    exempt_person(person=UserFactory(department=away), cycle=cycle, reason="career_break",
                  ends_on=timezone.localdate() + timedelta(days=30), by=hr)  # fmt: skip
    _response, workbook = download(client, cycle)
    row = next(row for row in workbook["Summary"].iter_rows() if row[0].value == "AWAY")
    assert [cell.value for cell in row[1:4]] == ["Secondments", 0, 0]
    assert row[9].value == 0 and row[10].value == 1  # 0% complete, one exempt (not counted)
