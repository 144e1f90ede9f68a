"""The staff import through the service and the command: files, values, problems, departments, leavers."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from directory.models import Department
from directory.services import import_staff
from portal.models import User

from ..factories import DepartmentFactory, UserFactory
from .helpers import ENTRA_EXPORT, GOOD, HEADER, RFC4180_CSV, ods_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def errors_for(text: str | bytes, language="en", **options) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with translation.override(language), pytest.raises(ValidationError) as refused:
        import_staff(data=data, **options)
    return refused.value.messages


def names(*numbers) -> list[tuple[str, str]]:
    return [
        (person.first_name, person.last_name)
        for person in User.objects.filter(staff_number__in=numbers).order_by("staff_number")
    ]


def test_a_good_file_imports_everyone_with_departments_and_managers():
    plan = import_staff(data=GOOD.encode())
    assert len(plan.new) == 3
    owain = User.objects.get(staff_number="1002")
    assert owain.line_manager.staff_number == "1001"
    assert owain.preferred_language == "cy"
    assert owain.username == "1002"
    assert not owain.has_usable_password()
    assert Department.objects.get(code="EDU").name_cy == "Addysg"
    assert owain.history.first().history_change_reason == "Staff import"  # bulk writes keep the audit trail


def test_the_entra_download_users_export_imports_as_written_and_skips_guests():
    plan = import_staff(data=ENTRA_EXPORT.read_bytes(), preset="entra")
    assert plan.guests_skipped == 1
    assert len(plan.new) == 4
    llyr = User.objects.get(email="llyr.evans@gov.wales")
    assert (llyr.first_name, llyr.last_name) == ("Llŷr", "Evans")
    assert llyr.staff_number == "5b1e2f0a-8c3d-4e5f-9a6b-7c8d9e0f1a2b"  # no employeeId column: the objectId
    assert User.objects.get(first_name="Siân").last_name == "ap Gwŷn"
    assert User.objects.get(last_name="O'Brien").email == "gwen.o'brien@gov.wales"
    dafydd = User.objects.get(first_name="Dafydd")
    assert dafydd.email == "dafydd.rhys@gov.wales"  # mail empty: the userPrincipalName
    assert not dafydd.is_active  # accountEnabled False
    assert dafydd.preferred_language == "en"
    assert not User.objects.filter(last_name="Partner").exists()
    legal = Department.objects.get(name_en="Legal Services")
    assert legal.code == "LS" and legal.name_cy == ""


def test_the_entra_export_is_recognised_without_naming_the_preset(tmp_path):
    plan = import_staff(data=ENTRA_EXPORT.read_bytes())
    assert plan.guests_skipped == 1 and len(plan.new) == 4


def test_entra_departments_are_matched_to_existing_ones_by_name_in_either_language():
    health = DepartmentFactory(
        code="HSS", name_en="Health & Social Services", name_cy="Iechyd a Gwasanaethau Cymdeithasol"
    )
    import_staff(data=ENTRA_EXPORT.read_bytes(), preset="entra")
    assert User.objects.get(first_name="Siân").department == health
    assert Department.objects.filter(name_en__icontains="health").count() == 1


def test_an_rfc4180_csv_with_doubled_quotes_keeps_every_name_exactly():
    import_staff(data=RFC4180_CSV.read_bytes())
    assert names("2001", "2002", "2003") == [
        ('Margaret "Peggy"', "Jones"),
        ('=HYPERLINK("x","y")', "Llwyd"),
        ("Gŵyn", 'Dŵr "y Môr"'),
    ]
    department = Department.objects.get(code="ECO")
    assert department.name_en == "Economy, Treasury and Constitution"  # the comma inside quotes stays in the cell
    assert User.objects.get(staff_number="2001").preferred_language == "cy"  # "Cymraeg"


def test_an_xlsx_workbook_with_its_own_headings_numbers_dates_and_booleans():
    import_staff(data=xlsx_bytes(), filename="staff.xlsx")
    llyr = User.objects.get(staff_number="5001")  # 5001 typed as a number, not "5001.0"
    assert (llyr.first_name, llyr.last_name, llyr.preferred_language) == ("Llŷr", "Ŵyn-Jones", "cy")
    assert str(llyr.start_date) == "2026-04-01"
    sion = User.objects.get(staff_number="5002")
    assert sion.line_manager == llyr and sion.last_name == "Prŷs"
    assert not User.objects.get(staff_number="5003").is_active
    assert Department.objects.get(name_en="Climate Change").code == "CC"


def test_an_ods_spreadsheet_reads_like_the_workbook():
    import_staff(data=ods_bytes(), filename="staff.ods")
    assert names("5001", "5002") == [("Llŷr", "Ŵyn-Jones"), ("Siôn", "Prŷs")]
    assert str(User.objects.get(staff_number="5001").start_date) == "2026-04-01"


def test_an_xlsx_renamed_csv_is_still_read_as_a_workbook():
    import_staff(data=xlsx_bytes(), filename="staff.csv")
    assert User.objects.filter(staff_number="5001").exists()


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_any_of_the_three_separators_with_or_without_bom(separator):
    text = GOOD.replace(",", separator)
    import_staff(data=text.encode())
    import_staff(data=("\ufeff" + text.replace("Ffion", "Ffîôn")).encode())
    assert User.objects.get(staff_number="1001").first_name == "Ffîôn"


def test_values_are_taken_in_the_forms_hr_type_them():
    text = (
        HEADER
        + "1001,a@gov.wales,A,A,EDU,Education,Addysg,,Welsh,TRUE\n"
        + "1002,b@gov.wales,B,B,EDU,Education,Addysg,,Saesneg,1\n"
        + "1003,c@gov.wales,C,C,EDU,Education,Addysg,,CY,Ie\n"
        + "1004,d@gov.wales,D,D,EDU,Education,Addysg,,english,no\n"
        + "1005,e@gov.wales,E,E,EDU,Education,Addysg,,,\n"
    )
    import_staff(data=text.encode())
    found = dict(User.objects.filter(staff_number__startswith="100").values_list("staff_number", "preferred_language"))
    assert found == {"1001": "cy", "1002": "en", "1003": "cy", "1004": "en", "1005": "en"}
    assert not User.objects.get(staff_number="1004").is_active
    assert User.objects.get(staff_number="1005").is_active


def test_the_portals_template_headings_in_welsh_are_recognised():
    from directory.importing import template_file

    with translation.override("cy"):
        headings = template_file.headings()
    text = ",".join(headings) + "\n" + "7001,a@gov.wales,Gwenllïan,Ŷw,EDU,Education,Addysg,,Cymraeg,2026-04-01,Ie,\n"
    import_staff(data=text.encode())
    assert User.objects.get(staff_number="7001").first_name == "Gwenllïan"


MANY_PROBLEMS = (
    HEADER
    + "1001,ffion@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n"
    + "1002,not-an-email,Owain,Ll?r,EDU,Education,Addysg,9999,fr,maybe\n"
    + "1003,sam@gov.wales,Sam,Smith,EDU,Education,Addysg,1003,en,yes\n"
    + "1004,a@gov.wales,A,Loop,EDU,Education,Addysg,1005,en,yes\n"
    + "1005,b@gov.wales,B,Loop,EDU,Education,Addysg,1004,en,yes\n"
    + "1006,c@gov.wales,Bad\x07Bell,Name,EDU,Education,Addysg,,en,yes\n"
    + "1001,ffion@gov.wales,Again,Jones,EDU,Education,Addysg,,cy,yes\n"
    + "1008,"
    + "x" * 250
    + "@gov.wales,Long,Email,EDU,Education,Addysg,,en,yes\n"
)


def test_every_problem_is_listed_in_one_pass_managers_included():
    messages = errors_for(MANY_PROBLEMS)
    expected = [
        "Row 3: “not-an-email” is not a valid email address.",
        "Row 3: Last name “Ll?r” has a ? where a letter should be.",
        "Row 3: “fr” is not a language the portal knows.",
        "Row 3: “maybe” in Active must be yes or no.",
        "Row 4: Staff number 1003 is given as their own line manager.",
        "Row 5: Staff number 1004 is in a loop of line managers: 1004 → 1005 → 1004.",
        "Row 6: Staff number 1005 is in a loop of line managers",
        "Row 7: First name contains a control character (U+0007)",
        "Row 8: Staff number 1001 is also on row 2.",
        "Row 8: The email address ffion@gov.wales is also on row 2.",
        "Row 9: Email address is longer than 254 characters.",
    ]
    for text in expected:
        assert any(message.startswith(text) for message in messages), (text, messages)
    assert User.objects.count() == 0 and Department.objects.count() == 0


def test_a_lost_welsh_letter_names_the_likely_cause_in_both_languages():
    text = GOOD.replace("Owain,ap Dafydd", "Ll?r,ap Dafydd")
    assert any("CSV (Comma delimited)" in message and "CSV UTF-8" in message for message in errors_for(text))
    welsh = errors_for(text, language="cy")
    assert any("Rhes 3" in message and "CSV UTF-8" in message for message in welsh), welsh


def test_an_unknown_manager_is_reported_with_the_other_problems():
    messages = errors_for(
        GOOD.replace("Health,Iechyd,1001", "Health,Iechyd,9999").replace("sam.smith@gov.wales", "bad")
    )
    assert "Row 4: The line manager 9999 is not in the file or the directory." in messages
    assert "Row 4: “bad” is not a valid email address." in messages


def test_a_manager_already_in_the_directory_may_be_left_out_of_a_partial_list():
    UserFactory(staff_number="0900")
    import_staff(data=GOOD.replace("Health,Iechyd,1001", "Health,Iechyd,0900").encode())
    assert User.objects.get(staff_number="1003").line_manager.staff_number == "0900"


def test_what_the_database_would_refuse_is_a_row_error_at_preview():
    UserFactory(username="1002", staff_number="S1")
    UserFactory(username="taken", staff_number="S2", email="sam.smith@gov.wales")
    messages = errors_for(GOOD.replace("1001,ffion", "1" * 70 + ",ffion"))
    assert any(m.startswith("Row 2: Staff number is longer than 64 characters.") for m in messages), messages
    assert any(m.startswith("Row 3: Staff number 1002 is already the username of another account.") for m in messages)
    assert any(
        m.startswith("Row 4: The email address sam.smith@gov.wales belongs to another account (S2).") for m in messages
    )


def test_other_encodings_are_refused_saying_how_to_save_as_csv_utf8():
    for encoding in ("cp1252", "utf-16"):
        messages = errors_for(GOOD.replace("Ffion", "Ffîon").encode(encoding))
        assert "CSV UTF-8 (Comma delimited)" in messages[0]
    assert "CSV UTF-8" in errors_for(GOOD.replace("Ffion", "Ffîon").encode("cp1252"), language="cy")[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The file is empty."),
        (HEADER, "The file has a heading row but no people."),
        ("name,colour\nx,y\n", "Choose the column that holds: Staff number."),
        (
            GOOD.replace("1003,sam.smith@gov.wales,Sam,Smith", '1003,sam.smith@gov.wales,Sam,"Smith, Jr",extra'),
            "Row 4: The row has more cells",
        ),
    ],
)
def test_each_unusable_file_is_refused_with_its_reason(text, expected):
    messages = errors_for(text)
    assert any(message.startswith(expected) for message in messages), messages
    assert User.objects.count() == 0


def test_errors_are_in_the_pages_language():
    messages = errors_for(GOOD.replace(",en,yes", ",fr,yes"), language="cy")
    assert any(message.startswith("Rhes 4:") and "“fr”" in message for message in messages), messages


def test_unknown_departments_are_created_with_a_code_from_their_name_and_no_welsh_name():
    text = (
        HEADER.replace("department_code,", "").replace(",department_name_cy", "")
        + "1001,a@gov.wales,A,A,Climate Change and Rural Affairs,,cy,yes\n"
    )
    plan = import_staff(data=text.encode())
    department = Department.objects.get(name_en="Climate Change and Rural Affairs")
    assert department.code == "CCRA" and department.name_cy == ""
    assert [new.code for new in plan.departments_to_create] == ["CCRA"]


def test_a_new_code_with_an_existing_departments_name_joins_the_existing_one_unless_hr_keep_it():
    existing = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    text = GOOD.replace("HSS,Health,Iechyd", "HEALTH,health,Iechyd")
    plan = import_staff(data=text.encode())
    assert [duplicate.code for duplicate in plan.likely_duplicates] == ["HEALTH"]
    assert User.objects.get(staff_number="1003").department == existing
    assert not Department.objects.filter(code="HEALTH").exists()
    import_staff(data=text.encode(), keep_duplicates=["HEALTH"])
    assert User.objects.get(staff_number="1003").department.code == "HEALTH"


def test_people_missing_from_a_full_list_are_made_inactive_not_deleted():
    leaver = UserFactory(staff_number="0999")
    plan = import_staff(data=GOOD.encode(), full=True)
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert [person["id"] for person in plan.deactivated] == [leaver.pk]


def test_a_list_is_partial_unless_said_otherwise():
    stayer = UserFactory(staff_number="0999")
    import_staff(data=GOOD.encode())
    stayer.refresh_from_db()
    assert stayer.is_active


def test_columns_not_in_the_file_leave_what_the_directory_holds():
    import_staff(data=GOOD.encode())
    User.objects.filter(staff_number="1002").update(preferred_language="en")
    entra_like = (
        "employeeId,mail,givenName,surname,department\n1002,owain.ap.dafydd@gov.wales,Owain,ap Dafydd,Education\n"
    )
    import_staff(data=entra_like.encode())
    owain = User.objects.get(staff_number="1002")
    assert owain.preferred_language == "en" and owain.line_manager.staff_number == "1001"


def test_the_command_imports_entra_with_the_preset_and_any_file_with_a_mapping(tmp_path):
    call_command("import_staff", str(ENTRA_EXPORT), "--preset", "entra")
    assert User.objects.get(email="llyr.evans@gov.wales").first_name == "Llŷr"
    workbook = tmp_path / "staff.xlsx"
    workbook.write_bytes(
        xlsx_bytes(headings=["Payroll", "Given", "Family", "Work mail", "Team", "Boss", "Lang", "Joined", "Current"])
    )
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        '{"staff_number": "Payroll", "first_name": "Given", "last_name": "Family", "email": "Work mail",'
        ' "department_name_en": "Team", "line_manager_staff_number": "Boss", "preferred_language": "Lang",'
        ' "start_date": "Joined", "active": "Current"}'
    )
    call_command("import_staff", str(workbook), "--mapping", str(mapping))
    assert names("5001", "5002") == [("Llŷr", "Ŵyn-Jones"), ("Siôn", "Prŷs")]
    call_command("import_staff", str(RFC4180_CSV))
    assert names("2001") == [('Margaret "Peggy"', "Jones")]


def test_the_command_refuses_a_bad_file_listing_every_problem_and_saves_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(MANY_PROBLEMS, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("import_staff", str(bad))
    assert "Row 3" in str(refused.value) and "Row 9" in str(refused.value)
    assert User.objects.count() == 0
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"staff_number": "Nope"}')
    with pytest.raises(CommandError, match="no column called “Nope”"):
        call_command("import_staff", str(ENTRA_EXPORT), "--mapping", str(mapping))


def test_the_day_someone_leaves_is_kept_however_the_import_makes_them_inactive():
    from django.utils import timezone

    leaver = UserFactory(staff_number="0999")
    import_staff(
        data=GOOD.replace(
            "1003,sam.smith@gov.wales,Sam,Smith,HSS,Health,Iechyd,1001,en,yes",
            "1003,sam.smith@gov.wales,Sam,Smith,HSS,Health,Iechyd,1001,en,no",
        ).encode(),
        full=True,
    )
    assert User.objects.get(pk=leaver.pk).left_on == timezone.localdate()
    assert User.objects.get(staff_number="1003").left_on == timezone.localdate()
    assert User.objects.get(staff_number="1001").left_on is None
    import_staff(data=GOOD.encode())
    assert User.objects.get(staff_number="1003").left_on is None  # back again
