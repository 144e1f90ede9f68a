"""The import as HR use it in the browser's place: upload, match the columns, check, confirm; in both languages."""

import csv
import html
import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from directory.models import Department, StaffImport
from portal.models import User
from reporting.selectors import forget_dashboard

from ..factories import DepartmentFactory, UserFactory
from .helpers import ENTRA_EXPORT, GOOD, RFC4180_CSV, upload, upload_and_preview, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def confirm(client, preview_url, **fields):
    return client.post(preview_url, {"confirm": "", **fields})


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_entra_export_through_the_pages(hr_client, language):
    response = upload(hr_client, ENTRA_EXPORT.read_bytes(), "exportUsers_2026-12-1.csv", language=language)
    columns_page = html.unescape(hr_client.get(response["Location"]).content.decode())
    assert ("Match the columns" if language == "en" else "Paru'r colofnau") in columns_page
    assert "userPrincipalName" in columns_page and "llyr.evans@gov.wales" in columns_page  # headings with examples
    preview_url, preview = upload_and_preview(hr_client, ENTRA_EXPORT.read_bytes(), "users.csv", language=language)
    assert ("Guest accounts skipped" if language == "en" else "Cyfrifon gwestai a hepgorwyd") in preview
    assert "LS – Legal Services" in preview
    response = confirm(hr_client, preview_url)
    assert response.status_code == 200  # the new departments must be accepted first
    assert (
        "Confirm the new departments" if language == "en" else "Cadarnhewch yr adrannau newydd"
    ) in response.content.decode()
    assert not User.objects.filter(first_name="Llŷr").exists()
    response = confirm(hr_client, preview_url, accept_departments="on")
    assert response.status_code == 302
    assert User.objects.get(email="llyr.evans@gov.wales").first_name == "Llŷr"
    assert User.objects.get(first_name="Siân").last_name == "ap Gwŷn"
    assert not User.objects.filter(last_name="Partner").exists()


def test_an_xlsx_list_and_an_rfc4180_csv_through_the_pages(hr_client):
    preview_url, preview = upload_and_preview(hr_client, xlsx_bytes(), "staff.xlsx")
    assert "Check the changes before you import" in preview, preview
    assert confirm(hr_client, preview_url, accept_departments="on").status_code == 302
    assert User.objects.get(staff_number="5001").last_name == "Ŵyn-Jones"
    preview_url, preview = upload_and_preview(hr_client, RFC4180_CSV.read_bytes(), "quotes.csv")
    assert "Margaret &quot;Peggy&quot; Jones" in preview
    confirm(hr_client, preview_url, accept_departments="on")
    assert User.objects.get(staff_number="2001").first_name == 'Margaret "Peggy"'
    assert User.objects.get(staff_number="2002").first_name == '=HYPERLINK("x","y")'


@pytest.mark.parametrize(
    ("language", "heading", "problem"),
    [
        ("en", "There is a problem", "Row 4: The line manager 9999 is not in the file or the directory."),
        ("cy", "Mae problem wedi codi", "Rhes 4:"),
    ],
)
def test_every_problem_is_on_the_preview_and_nothing_can_be_confirmed(hr_client, language, heading, problem):
    bad = GOOD.replace("Health,Iechyd,1001", "Health,Iechyd,9999").replace("owain.ap.dafydd@gov.wales", "nope")
    preview_url, preview = upload_and_preview(hr_client, bad.encode(), language=language)
    assert heading in preview and problem in preview
    assert ("Row 3:" if language == "en" else "Rhes 3:") in preview
    assert "Confirm and import" not in preview and "Cadarnhau a mewnforio" not in preview
    assert confirm(hr_client, preview_url).status_code == 200
    assert User.objects.filter(staff_number__in=["1001", "1002", "1003"]).count() == 0


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_file_in_another_encoding_is_refused_on_the_upload_page(hr_client, language):
    response = upload(hr_client, GOOD.replace("Ffion", "Ffîon").encode("cp1252"), language=language)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "CSV UTF-8 (Comma delimited)" in page
    assert ("The file is not saved as UTF-8" if language == "en" else "Nid yw'r ffeil wedi'i chadw fel UTF-8") in page


def start_tags(html: str) -> list[tuple[str, dict]]:
    """Every start tag with its attributes (a bare attribute such as ``checked`` has the value None)."""
    tags = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Collect().feed(html)
    return tags


def test_the_full_staff_list_is_off_by_default_and_names_how_many_become_inactive(hr_client, hr):
    User.objects.filter(pk=hr.pk).update(staff_number=None)  # an HR account outside the staff list
    response = hr_client.get("/en/hr/import/")
    boxes = [
        attrs for tag, attrs in start_tags(response.content.decode()) if tag == "input" and attrs.get("name") == "full"
    ]
    assert len(boxes) == 1 and boxes[0]["type"] == "checkbox"
    assert "checked" not in boxes[0]  # not ticked: nobody is made inactive unless HR asks for it
    assert not response.context["form"]["full"].value()
    leavers = [UserFactory(staff_number=f"09{index:02d}") for index in range(3)]
    preview_url, preview = upload_and_preview(hr_client, GOOD.encode(), full=True)
    assert "3 people are not in this list and will be made inactive." in preview
    assert "Make 3 people who are not in this list inactive" in preview
    response = confirm(hr_client, preview_url, accept_departments="on")
    assert "Confirm who will be made inactive" in response.content.decode()
    assert all(User.objects.get(pk=person.pk).is_active for person in leavers)
    confirm(hr_client, preview_url, accept_departments="on", confirm_deactivation="on")
    assert not any(User.objects.get(pk=person.pk).is_active for person in leavers)


def test_the_welsh_confirmation_names_the_count_with_the_welsh_plural(hr_client, hr):
    User.objects.filter(pk=hr.pk).update(staff_number=None)
    UserFactory(staff_number="0901")
    UserFactory(staff_number="0902")
    _url, preview = upload_and_preview(hr_client, GOOD.encode(), full=True, language="cy")
    assert "Gwneud 2 berson nad ydynt ar y rhestr hon yn anweithredol" in preview


def test_a_likely_duplicate_department_is_listed_for_hr_to_decide(hr_client):
    existing = DepartmentFactory(code="HSS", name_en="Health", name_cy="Iechyd")
    text = GOOD.replace("HSS,Health,Iechyd", "HEALTH,Health,Iechyd")
    preview_url, preview = upload_and_preview(hr_client, text.encode())
    assert "Use the portal’s department HSS – Health" in preview
    assert "Create a new department HEALTH – Health" in preview
    confirm(hr_client, preview_url, accept_departments="on", duplicate_HEALTH="existing")
    assert User.objects.get(staff_number="1003").department == existing
    assert list(Department.objects.filter(name_en="Health")) == [existing]


def test_choosing_a_column_by_hand(hr_client):
    text = "Ref,Work email,Given,Family,Team\nA1,a@gov.wales,Anwen,Hâf,Education\n"
    response = upload(hr_client, text.encode())
    columns_url = response["Location"]
    page = hr_client.get(columns_url).content.decode()
    assert "Anwen" in page  # an example value
    refused = hr_client.post(
        columns_url,
        {
            "continue": "",
            "preset": "custom",
            "email": "1",
            "first_name": "2",
            "last_name": "3",
            "department_name_en": "4",
        },
    )
    assert "Choose the column that holds: Staff number." in refused.content.decode()
    chosen = hr_client.post(
        columns_url,
        {
            "continue": "",
            "preset": "custom",
            "staff_number": "0",
            "email": "1",
            "first_name": "2",
            "last_name": "3",
            "department_name_en": "4",
        },
    )
    assert chosen.status_code == 302
    confirm(hr_client, chosen["Location"], accept_departments="on")
    assert User.objects.get(staff_number="A1").last_name == "Hâf"


def test_the_entra_preset_can_be_chosen_on_the_column_page(hr_client):
    response = upload(hr_client, ENTRA_EXPORT.read_bytes())
    page = hr_client.post(response["Location"], {"apply_preset": "", "preset": "entra"}).content.decode()
    assert '<option value="5" selected>objectId</option>' in page


@pytest.mark.parametrize(("language", "heading"), [("en", "Staff number"), ("cy", "Rhif staff")])
def test_the_template_downloads_in_the_pages_language(hr_client, language, heading):
    prefix = "/cy/ad/mewnforio/templed/" if language == "cy" else "/en/hr/import/template/"
    response = hr_client.get(prefix + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == heading and len(rows) == 2 and rows[1][2] == "Llŷr"
    response = hr_client.get(prefix + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == heading and sheet.max_row == 2
    assert response["Content-Disposition"].endswith(f'-{language}.xlsx"')


def test_the_template_comes_back_in_as_it_went_out(hr_client):
    data = hr_client.get("/cy/ad/mewnforio/templed/?format=xlsx").content
    preview_url, preview = upload_and_preview(hr_client, data, "templed.xlsx", language="cy")
    UserFactory(staff_number="1000")
    confirm(hr_client, preview_url, accept_departments="on")
    assert User.objects.get(staff_number="1001").first_name == "Llŷr"


def test_confirming_twice_changes_nothing_more(hr_client):
    preview_url, _preview = upload_and_preview(hr_client, GOOD.encode())
    confirm(hr_client, preview_url, accept_departments="on")
    again = confirm(hr_client, preview_url, accept_departments="on")
    assert again.status_code == 302
    assert User.objects.filter(staff_number="1001").count() == 1
    assert StaffImport.objects.get().summary["new"] == 3


def test_cancelling_deletes_the_upload(hr_client):
    response = upload(hr_client, GOOD.encode())
    pk = StaffImport.objects.get().pk
    hr_client.post(f"/en/hr/import/{pk}/cancel/")
    assert not StaffImport.objects.exists()
    assert hr_client.get(response["Location"]).status_code == 404


def test_a_wrong_kind_of_file_and_an_oversized_one_are_refused(hr_client, settings):
    page = hr_client.post("/en/hr/import/", {"file": SimpleUploadedFile("staff.pdf", b"%PDF-1.4")}).content.decode()
    assert "The selected file must be a CSV, XLSX or ODS file" in page
    settings.STAFF_IMPORT_MAX_BYTES = 1024
    response = hr_client.post(
        "/en/hr/import/", {"file": SimpleUploadedFile("staff.csv", (GOOD + "x" * 200_000).encode())}
    )
    assert response.status_code == 413


def test_a_broken_workbook_is_a_message_not_a_server_error(hr_client):
    response = upload(hr_client, b"PK\x03\x04 not really a zip", "staff.xlsx")
    assert response.status_code == 200
    assert "could not be read as a spreadsheet" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("en", "1 department has no Welsh name yet"), ("cy", "Nid oes enw Cymraeg gan 1 adran eto")]
)
def test_a_department_without_its_welsh_name_is_shown_on_the_dashboard_until_it_has_one(
    hr_client, cycle, language, text
):
    from directory.services import import_staff

    for code, english, welsh in [
        ("EDU", "Education and Welsh Language", "Addysg a’r Gymraeg"),
        ("HSS", "Health and Social Services", "Iechyd a Gwasanaethau Cymdeithasol"),
        ("LS", "Legal Services", "Gwasanaethau Cyfreithiol"),
    ]:
        DepartmentFactory(code=code, name_en=english, name_cy=welsh)
    import_staff(data=ENTRA_EXPORT.read_bytes())
    prefix = "/cy/ad/" if language == "cy" else "/en/hr/"
    page = hr_client.get(prefix).content.decode()
    assert text in page and "ETC – Economy, Treasury and Constitution" in page
    Department.objects.filter(code="ETC").update(name_cy="Yr Economi, y Trysorlys a’r Cyfansoddiad")
    forget_dashboard()  # what a department's save does once it is committed
    assert text not in hr_client.get(prefix).content.decode()
