"""One upload tells HR everything: every check runs on every row whatever else is wrong with it."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from directory.importing import values
from directory.models import Department
from directory.services import import_staff
from portal.models import User

from ..factories import DepartmentFactory, UserFactory
from .helpers import HEADER, upload_and_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


def problems(text: str, language="en") -> list[str]:
    with translation.override(language), pytest.raises(ValidationError) as refused:
        import_staff(data=text.encode())
    return refused.value.messages


EVERY_PROBLEM = (
    HEADER
    + "1001,ffion@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n"  # row 2: fine
    + "1002,not-an-email,Owain,Ll?r,EDU,Education,Addysg,9999,fr,maybe\n"  # row 3
    + "1004,a@gov.wales,Alun,Loop,EDU,Education,Addysg,1005,en,yes\n"  # row 4: manages row 5 who manages row 4
    + "1005,taken@gov.wales,Beca,Loop,EDU,Education,Addysg,1004,de,yes\n"  # row 5: loop, another account's email
    + "1004,c@gov.wales,Cai,Again,EDU,Education,Addysg,1006,en,yes\n"  # row 6: row 4's staff number again
    + "1006,d@gov.wales,Bad\x07Bell,Self,EDU,Education,Addysg,1006,en,yes\n"  # row 7: manages themself
    + "S9,e@gov.wales,Eirlys,Clash,NEW,,,,en,yes\n"  # row 8: another account's username; a new code, no name
    + "1008,"
    + "x" * 250
    + "@gov.wales,Long,Email,EDU,Education,Addysg,,en,yes\n"  # row 9
    + "1009,f@gov.wales,Fflur,Name,EDU,Educashun,Addysg,1001,en,yes\n"  # row 10: EDU named differently
    + "1010,g@gov.wales,Gwyn,Cells,EDU,Education,Addysg,,en,yes,extra\n"  # row 11: a cell too many
)
EXPECTED = [
    "Row 3: “not-an-email” is not a valid email address.",
    "Row 3: Last name “Ll?r” has a ? where a letter should be.",
    "Row 3: “fr” is not a language the portal knows.",
    "Row 3: “maybe” in Active must be yes or no.",
    "Row 3: The line manager 9999 is not in the file or the directory.",
    "Row 4: Staff number 1004 is in a loop of line managers: 1004 → 1005 → 1004.",
    "Row 5: Staff number 1005 is in a loop of line managers: 1004 → 1005 → 1004.",
    "Row 5: The email address taken@gov.wales belongs to another account (S1).",
    "Row 5: “de” is not a language the portal knows.",
    "Row 6: Staff number 1004 is also on row 4.",
    "Row 7: First name contains a control character (U+0007)",
    "Row 7: Staff number 1006 is given as their own line manager.",
    "Row 8: Staff number S9 is already the username of another account.",
    "Row 8: Department NEW is new: give its English name.",
    "Row 9: Email address is longer than 254 characters.",
    "Row 10: Department EDU is called “Education” on row 2.",
    "Row 11: The row has more cells than there are headings",
]


def test_a_file_with_every_kind_of_problem_lists_them_all_in_one_upload():
    UserFactory(username="someone", staff_number="S1", email="Taken@gov.wales")
    UserFactory(username="S9", staff_number="S2")
    departments = Department.objects.count()
    messages = problems(EVERY_PROBLEM)
    missing = [text for text in EXPECTED if not any(message.startswith(text) for message in messages)]
    assert not missing, (missing, messages)
    assert len(messages) == len(EXPECTED), messages  # each problem once
    assert [int(message.split(":")[0].removeprefix("Row ")) for message in messages] == sorted(
        int(message.split(":")[0].removeprefix("Row ")) for message in messages
    )
    assert User.objects.count() == 2 and Department.objects.count() == departments  # nothing saved


def test_a_repeated_staff_number_does_not_hide_the_loop_its_first_row_is_in():
    """The case HR met: rows 4 and 5 manage each other, row 6 repeats row 4's staff number with another manager."""
    text = (
        HEADER
        + "1001,ffion@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n"
        + "1002,owain@gov.wales,Owain,Rees,EDU,Education,Addysg,1001,cy,yes\n"
        + "1004,a@gov.wales,Alun,Loop,EDU,Education,Addysg,1005,en,yes\n"
        + "1005,b@gov.wales,Beca,Loop,EDU,Education,Addysg,1004,en,yes\n"
        + "1004,c@gov.wales,Cai,Again,EDU,Education,Addysg,1001,en,yes\n"
    )
    messages = problems(text)
    assert "Row 6: Staff number 1004 is also on row 4." in messages
    assert "Row 4: Staff number 1004 is in a loop of line managers: 1004 → 1005 → 1004." in messages
    assert "Row 5: Staff number 1005 is in a loop of line managers: 1004 → 1005 → 1004." in messages


def test_a_repeated_row_that_closes_a_loop_is_reported_whichever_row_hr_keep():
    text = (
        HEADER
        + "1004,a@gov.wales,Alun,First,EDU,Education,Addysg,,en,yes\n"
        + "1005,b@gov.wales,Beca,Loop,EDU,Education,Addysg,1004,en,yes\n"
        + "1004,c@gov.wales,Alun,Again,EDU,Education,Addysg,1005,en,yes\n"
    )
    messages = problems(text)
    assert "Row 4: Staff number 1004 is also on row 2." in messages
    assert "Row 4: Staff number 1004 is in a loop of line managers: 1004 → 1005 → 1004." in messages


def test_a_row_with_other_errors_is_still_checked_against_other_accounts():
    UserFactory(username="someone", staff_number="S1", email="sam@gov.wales")
    UserFactory(username="2002", staff_number="S2")
    text = (
        HEADER
        + "2001,sam@gov.wales,Sam,Smith,EDU,Education,Addysg,,fr,yes\n"
        + "2002,new@gov.wales,Nia,Jones,EDU,Education,Addysg,,en,perhaps\n"
    )
    messages = problems(text)
    assert "Row 2: The email address sam@gov.wales belongs to another account (S1)." in messages
    assert any(
        message.startswith("Row 3: Staff number 2002 is already the username of another account.")
        for message in messages
    )


def test_a_new_code_clashing_with_one_made_from_a_name_gets_another_code():
    """Departments in one file never share a code, so the database never refuses one."""
    text = (
        "staff_number,email,first_name,last_name,department_code,department_name_en\n"
        "1,a@gov.wales,A,A,,Climate Change\n"
        "2,b@gov.wales,B,B,CC,Cultural Collections\n"
    )
    plan = import_staff(data=text.encode())
    assert sorted(department.code for department in plan.departments_to_create) == ["CC", "CC-2"]
    assert Department.objects.get(code="CC").name_en == "Cultural Collections"
    assert Department.objects.get(code="CC-2").name_en == "Climate Change"


@pytest.mark.parametrize(
    ("text", "lost"),
    [
        ("Ll?r", True),
        ("?yn-Jones", True),
        ("Gw?n ap Rhys", True),
        ("\ufffdyn", True),
        ("What?", False),
        ("Why? Because", False),
        ("Team (?)", False),
        ("Who’s who?!", False),
        ("Room 2?", False),
    ],
)
def test_a_lost_letter_is_looked_for_only_where_a_welsh_letter_could_stand(text, lost):
    found = values.check_text(text, "Last name")
    assert bool(found) is lost, found


def test_a_question_mark_in_a_department_name_imports():
    text = HEADER + "1001,ffion@gov.wales,Ffion,Jones,ASK,What? Where? Why?,Beth?,,cy,yes\n"
    import_staff(data=text.encode())
    assert Department.objects.get(code="ASK").name_en == "What? Where? Why?"


def test_an_existing_department_is_unchanged_by_a_clean_file():
    DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    import_staff(data=(HEADER + "1001,ffion@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n").encode())
    assert Department.objects.get(code="EDU").name_en == "Education"


HR_HEADINGS = [
    "Employee Number",
    "Forename",
    "Surname",
    "Email Address",
    "Department Code",
    "Department",
    "Line Manager",
    "Language",
    "Active",
]
HR_ROWS = [
    [1001, "Ffion", "Jones", "ffion@gov.wales", "EDU", "Education", None, "Cymraeg", True],  # row 2: fine
    [1002, "Owain", "Ll?r", "not-an-email", "EDU", "Education", 9999, "French", "maybe"],  # row 3
    [1004, "Alun", "Loop", "a@gov.wales", "EDU", "Education", 1005, "English", True],  # row 4
    [1005, "Beca", "Loop", "taken@gov.wales", "EDU", "Education", 1004, "English", True],  # row 5
    [1004, "Cai", "Again", "c@gov.wales", "EDU", "Education", 1001, "English", True],  # row 6
]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Row 3: “not-an-email” is not a valid email address.",
                "Row 3: Last name “Ll?r” has a ? where a letter should be.",
                "Row 3: “French” is not a language the portal knows.",
                "Row 3: The line manager 9999 is not in the file or the directory.",
                "Row 4: Staff number 1004 is in a loop of line managers: 1004 → 1005 → 1004.",
                "Row 5: The email address taken@gov.wales belongs to another account (S1).",
                "Row 6: Staff number 1004 is also on row 4.",
            ],
        ),
        (
            "cy",
            [
                "Rhes 3: Nid yw “not-an-email” yn gyfeiriad e-bost dilys.",
                "Rhes 4: Mae rhif staff 1004 mewn dolen o reolwyr llinell: 1004 → 1005 → 1004.",
                "Rhes 5: Mae'r cyfeiriad e-bost taken@gov.wales yn perthyn i gyfrif arall (S1).",
                "Rhes 6: Mae rhif staff 1004 hefyd ar res 4.",
            ],
        ),
    ],
)
def test_an_hr_spreadsheet_with_every_kind_of_problem_shows_them_all_on_one_preview(client, hr, language, expected):
    UserFactory(username="someone", staff_number="S1", email="taken@gov.wales")
    client.force_login(hr)
    _url, preview = upload_and_preview(client, xlsx_bytes(HR_HEADINGS, HR_ROWS), "staff.xlsx", language=language)
    preview = html.unescape(preview)
    missing = [text for text in expected if text not in preview]
    assert not missing, missing
