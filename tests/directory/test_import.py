import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from directory.models import Department
from directory.staff_import import import_staff, plan_from_bytes
from portal.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "staff_number,email,first_name,last_name,department_code,department_name_en,department_name_cy,line_manager_staff_number,preferred_language,active\n"
GOOD = (
    HEADER
    + "1001,ffion.jones@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n"
    + "1002,owain.ap.dafydd@gov.wales,Owain,ap Dafydd,EDU,Education,Addysg,1001,cy,yes\n"
    + "1003,sam.smith@gov.wales,Sam,Smith,HSS,Health,Iechyd,1001,en,yes\n"
)


def errors_for(text: str, encoding="utf-8") -> list[str]:
    with pytest.raises(ValidationError) as refused:
        import_staff(data=text.encode(encoding))
    return refused.value.messages


def test_a_good_file_imports_everyone_with_departments_and_managers():
    plan = import_staff(data=GOOD.encode())
    assert len(plan.new) == 3
    owain = User.objects.get(staff_number="1002")
    assert owain.line_manager.staff_number == "1001"
    assert owain.preferred_language == "cy"
    assert owain.username == "1002"
    assert not owain.has_usable_password()
    assert Department.objects.get(code="EDU").name_cy == "Addysg"


def test_utf8_with_bom_excel_line_endings_and_welsh_letters_are_accepted():
    text = GOOD.replace("Ffion", "Ffîôn").replace("Owain", "Ŵyn").replace("Sam", "Ŷâê").replace("\n", "\r\n")
    import_staff(data=("\ufeff" + text).encode("utf-8"))
    assert User.objects.get(staff_number="1001").first_name == "Ffîôn"
    assert User.objects.get(staff_number="1002").first_name == "Ŵyn"


def test_semicolon_separated_excel_csv_is_accepted():
    import_staff(data=GOOD.replace(",", ";").encode())
    assert User.objects.filter(staff_number__in=["1001", "1002", "1003"]).count() == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("sam.smith@gov.wales", "not-an-email"), "Row 4: “not-an-email” is not a valid email address."),
        (GOOD.replace("1003,sam", "1002,sam"), "Row 4: Staff number 1002 is also on row 3."),
        (GOOD.replace("Health,Iechyd,1001", "Health,Iechyd,9999"), "Row 4: The line manager 9999 is not in the file."),
        (
            GOOD.replace("Jones,EDU,Education,Addysg,,", "Jones,EDU,Education,Addysg,1002,"),
            "is in a loop of line managers",
        ),
        (GOOD.replace(",en,yes", ",fr,yes"), "Row 4: “fr” is not a language we know. Use en or cy."),
        (GOOD.replace("preferred_language,", ""), "The column “preferred_language” is missing."),
        ("", "The file is empty."),
        (HEADER, "The file has a heading row but no people."),
    ],
)
def test_each_bad_file_is_refused_with_its_reason_and_nothing_saved(text, expected):
    messages = errors_for(text)
    assert any(expected in message for message in messages), messages
    assert User.objects.count() == 0
    assert Department.objects.count() == 0


def test_not_utf8_is_refused():
    messages = errors_for(GOOD.replace("Ffion", "Ffîon"), encoding="latin-1")
    assert any("not UTF-8" in message for message in messages)


def test_every_bad_row_is_listed_not_just_the_first():
    text = GOOD.replace("sam.smith@gov.wales", "bad").replace(",cy,yes\n1002", ",xx,yes\n1002")
    messages = errors_for(text)
    assert any(message.startswith("Row 2:") for message in messages)
    assert any(message.startswith("Row 4:") for message in messages)


def test_errors_are_in_the_pages_language():
    from django.utils import translation

    with translation.override("cy"):
        plan = plan_from_bytes(GOOD.replace(",en,yes", ",fr,yes").encode())
    message = plan.errors[0].message
    assert "“fr”" in message
    assert message != "“fr” is not a language we know. Use en or cy."


def test_people_missing_from_a_full_import_are_made_inactive_not_deleted():
    leaver = UserFactory(staff_number="0999")
    plan = import_staff(data=GOOD.encode())
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert [person.pk for person in plan.deactivated] == [leaver.pk]


def test_a_partial_import_makes_nobody_inactive():
    stayer = UserFactory(staff_number="0999")
    import_staff(data=GOOD.encode(), full=False)
    stayer.refresh_from_db()
    assert stayer.is_active


def test_preview_reports_new_changed_and_inactive_without_saving():
    import_staff(data=GOOD.encode())
    UserFactory(staff_number="0999")
    changed = GOOD.replace("Sam,Smith", "Samantha,Smith").replace("1003,sam.smith", "1004,samantha.smith")
    plan = plan_from_bytes(changed.encode())
    assert [row.staff_number for row in plan.new] == ["1004"]
    assert {person.staff_number for person in plan.deactivated} == {"0999", "1003"}
    assert User.objects.filter(staff_number="1004").count() == 0


def test_the_command_shares_the_import(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_staff", str(path))
    assert User.objects.filter(staff_number__in=["1001", "1002", "1003"]).count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace(",en,yes", ",fr,yes"), encoding="utf-8")
    with pytest.raises(CommandError, match="Row 4"):
        call_command("import_staff", str(bad))


def test_upload_preview_confirm_journey(client, hr):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hr)
    bad = SimpleUploadedFile("staff.csv", GOOD.replace(",en,yes", ",fr,yes").encode(), content_type="text/csv")
    page = client.post("/en/hr/import/", {"file": bad, "full": "on"}).content.decode()
    assert "There is a problem" in page
    assert "Row 4: “fr” is not a language we know. Use en or cy." in page
    assert User.objects.filter(staff_number="1001").count() == 0
    good = SimpleUploadedFile("staff.csv", GOOD.encode(), content_type="text/csv")
    response = client.post("/en/hr/import/", {"file": good})
    preview = client.get(response["Location"]).content.decode()
    assert "Check the changes before you import" in preview
    assert User.objects.filter(staff_number="1001").count() == 0
    client.post(response["Location"])
    assert User.objects.filter(staff_number="1001").count() == 1
    again = client.post(response["Location"])
    assert again.status_code == 302
    assert User.objects.filter(staff_number="1001").count() == 1


def test_oversized_uploads_are_refused_before_parsing(client, hr, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STAFF_IMPORT_MAX_BYTES = 1024
    client.force_login(hr)
    big = SimpleUploadedFile("staff.csv", (GOOD + "x" * 200_000).encode(), content_type="text/csv")
    response = client.post("/en/hr/import/", {"file": big})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
