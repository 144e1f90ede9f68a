"""A control character in a name (from an old import, or typed into the admin) never breaks a download."""

import csv
import io

import pytest
from openpyxl import load_workbook

from ..factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def awkward(content, cycle):
    department = DepartmentFactory(code="EDU", name_en="Educ\x1bation", name_cy="Add\x01ysg")
    return UserFactory(first_name="Gw\x07en", last_name="Jones\x0b\x7f", department=department)


def test_the_workbook_opens_with_the_characters_removed(client, hr, cycle, awkward):
    client.force_login(hr)
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    values = {cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "Gwen" in values and "Jones" in values and "Education" in values


def test_the_csv_has_the_characters_removed(client, hr, cycle, awkward):
    client.force_login(hr)
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    person = next(row for row in rows if "Gwen" in row)
    assert "Jones" in person and "Education" in person
    assert not any(character in body for character in "\x01\x07\x0b\x1b\x7f")


def test_a_control_character_cannot_hide_a_formula_from_the_csv(client, hr, cycle, content):
    # Removing the \x01 after neutralising would leave the formula bare at the start of the cell.
    UserFactory(
        staff_number="3001", first_name='\x01=HYPERLINK("https://example.com/","Click")', last_name="\x7f+Jones"
    )
    client.force_login(hr)
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    person = next(row for row in rows if row[0] == "3001")
    assert '\'=HYPERLINK("https://example.com/","Click")' in person
    assert "'+Jones" in person
    assert not any(cell.startswith(("=", "+", "\x01", "\x7f")) for cell in person)
