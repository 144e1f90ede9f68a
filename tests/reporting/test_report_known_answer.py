"""HR's per-person download compared whole with what it must say, in both languages: every heading, every column of
every row, the file's name, and times in UK summer time (a spreadsheet has no time zones, so 10:30 UTC is 11:30)."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from openpyxl import load_workbook

from assessments.models import Acknowledgement
from tests.factories import CycleFactory, DepartmentFactory, UserFactory

from .conftest import complete

pytestmark = pytest.mark.django_db

SUMMER_MORNING = datetime(2026, 7, 14, 10, 30, tzinfo=UTC)  # 11:30 in Cardiff

HEADINGS_EN = [
    "Staff number", "First name", "Last name", "Email", "Department code", "Department", "Line manager",
    "Line manager staff number", "Status", "Due date", "Days overdue", "Date confirmed", "Guidance version",
    "Declaration language", "Best score", "Attempts", "Reference",
]  # fmt: skip
HEADINGS_CY = [
    "Rhif staff", "Enw cyntaf", "Cyfenw", "E-bost", "Cod yr adran", "Adran", "Rheolwr llinell",
    "Rhif staff y rheolwr llinell", "Statws", "Dyddiad terfyn", "Diwrnodau'n hwyr", "Dyddiad cadarnhau",
    "Fersiwn y canllawiau", "Iaith y datganiad", "Sgôr uchaf", "Ymgeisiau", "Cyfeirnod",
]  # fmt: skip


@pytest.fixture
def summer():
    with time_machine.travel(SUMMER_MORNING, tick=False):
        yield


@pytest.fixture
def year(summer, content):
    """A cycle due at the end of June, seen a fortnight later: a manager who has done nothing is 14 days overdue, a
    Welsh speaker confirmed this morning, a joiner of 1 July is not yet due, a department without a Welsh name, two
    people of the same last name, and someone in no department."""
    cycle = CycleFactory(name="2026–27", opens_on=date(2026, 4, 1), due_on=date(2026, 6, 30), is_current=True)
    education = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    digital = DepartmentFactory(code="DIG", name_en="Digital", name_cy="")
    boss = UserFactory(
        staff_number="1001", first_name="Mair", last_name="Jones", email="mair@gov.wales", department=education
    )
    gwen = UserFactory(
        staff_number="1002", first_name="Gwen", last_name="=SUM(A1)", email="gwen@gov.wales", department=education,
        line_manager=boss, preferred_language="cy",
    )  # fmt: skip
    complete(gwen, cycle, content)
    UserFactory(
        staff_number="1003", first_name="Ioan", last_name="Rees", email="ioan@gov.wales", department=digital,
        line_manager=boss, start_date=date(2026, 7, 1),
    )  # fmt: skip
    UserFactory(
        staff_number="1005", first_name="Aled", last_name="Rees", email="aled@gov.wales", department=digital,
        line_manager=boss,
    )  # fmt: skip
    UserFactory(staff_number="1006", first_name="Siôn", last_name="Lloyd", email="sion@gov.wales", department=None)
    hr = UserFactory(
        staff_number="1004", first_name="Huw", last_name="Evans", email="huw@gov.wales", department=digital,
        roles=["HR"],
    )  # fmt: skip
    return cycle, hr, Acknowledgement.objects.get(user=gwen).reference


def download(client, cycle, *, language: str, format: str, outstanding: bool = False):
    path = "/en/hr/download/" if language == "en" else "/cy/ad/lawrlwytho/"
    query = f"?cycle={cycle.pk}&format={format}" + ("&outstanding=on" if outstanding else "")
    response = client.get(path + query)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_the_english_csv_holds_exactly_each_persons_row(client, year):
    cycle, hr, reference = year
    client.force_login(hr)
    response, body = download(client, cycle, language="en", format="csv")
    assert body.startswith("\ufeff".encode())  # Excel reads the Welsh letters as UTF-8
    assert response["Content-Disposition"] == (
        'attachment; filename="social-media-guidance-2026-27-all-staff-en-2026-07-14.csv"'
    )
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        HEADINGS_EN,
        ["1004", "Huw", "Evans", "huw@gov.wales", "DIG", "Digital", "", "", "Overdue", "2026-06-30", "14", "", "",
         "", "", "0", ""],
        ["1005", "Aled", "Rees", "aled@gov.wales", "DIG", "Digital", "Mair Jones", "1001", "Overdue", "2026-06-30",
         "14", "", "", "", "", "0", ""],
        ["1003", "Ioan", "Rees", "ioan@gov.wales", "DIG", "Digital", "Mair Jones", "1001", "Not started",
         "2026-07-29", "", "", "", "", "", "0", ""],
        ["1002", "Gwen", "'=SUM(A1)", "gwen@gov.wales", "EDU", "Education", "Mair Jones", "1001", "Completed",
         "2026-06-30", "", "2026-07-14 11:30", "1", "cy", "6", "1", reference],
        ["1001", "Mair", "Jones", "mair@gov.wales", "EDU", "Education", "", "", "Overdue", "2026-06-30", "14", "", "",
         "", "", "0", ""],
        ["1006", "Siôn", "Lloyd", "sion@gov.wales", "", "", "", "", "Overdue", "2026-06-30", "14", "", "", "", "", "0",
         ""],
    ]  # fmt: skip


def test_the_welsh_csv_has_welsh_headings_statuses_and_name_and_falls_back_to_the_english_department(client, year):
    cycle, hr, reference = year
    client.force_login(hr)
    response, body = download(client, cycle, language="cy", format="csv", outstanding=True)
    assert response["Content-Disposition"] == (
        'attachment; filename="canllawiau-cyfryngau-cymdeithasol-2026-27-heb-gwblhau-cy-2026-07-14.csv"'
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADINGS_CY
    # Only the people still to finish (in department, then name, order); Digital has no Welsh name, so its English name stands rather than a blank.
    assert [row[:1] + row[4:11] for row in rows[1:]] == [
        ["1004", "DIG", "Digital", "", "", "Yn hwyr", "2026-06-30", "14"],
        ["1005", "DIG", "Digital", "Mair Jones", "1001", "Yn hwyr", "2026-06-30", "14"],
        ["1003", "DIG", "Digital", "Mair Jones", "1001", "Heb ddechrau", "2026-07-29", ""],
        ["1001", "EDU", "Addysg", "", "", "Yn hwyr", "2026-06-30", "14"],
        ["1006", "", "", "", "", "Yn hwyr", "2026-06-30", "14"],
    ]


def test_the_workbook_shows_the_confirmation_in_uk_summer_time(client, year):
    cycle, hr, reference = year
    client.force_login(hr)
    response, body = download(client, cycle, language="en", format="xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="social-media-guidance-2026-27-all-staff-en-2026-07-14.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(body))["All staff"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADINGS_EN
    gwen = next(row for row in values if row[0] == "1002")
    assert gwen[9:] == [datetime(2026, 6, 30), None, datetime(2026, 7, 14, 11, 30), 1, "cy", 6, 1, reference]
    mair = next(row for row in values if row[0] == "1001")
    assert mair[8:12] == ["Overdue", datetime(2026, 6, 30), 14, None]


@pytest.mark.parametrize(
    ("name", "expected"), [("2026/27", "2026-27"), ("2026—27", "2026-27"), ("Blwyddyn 2026–27", "blwyddyn-2026-27")]
)
def test_the_file_name_turns_any_dash_or_slash_in_the_cycles_name_into_a_hyphen(client, year, name, expected):
    _current, hr, _reference = year
    cycle = CycleFactory(name=name, opens_on=date(2025, 4, 1), due_on=date(2025, 6, 30), is_current=False)
    client.force_login(hr)
    response, _body = download(client, cycle, language="en", format="csv", outstanding=True)
    assert response["Content-Disposition"] == (
        f'attachment; filename="social-media-guidance-{expected}-outstanding-en-2026-07-14.csv"'
    )
