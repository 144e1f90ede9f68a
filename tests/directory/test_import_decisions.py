"""Every decision the import makes about departments is shown for HR to accept or change; nothing is guessed silently."""

import html

import pytest

from directory.models import Department
from directory.services import import_staff
from portal.models import User

from ..factories import DepartmentFactory
from .helpers import HEADER, upload_and_preview

pytestmark = pytest.mark.django_db

# What HR met: an unknown code whose name the portal has, and a known code with a shorter name in the file.
HR_FILE = (
    HEADER
    + "1001,ffion@gov.wales,Ffion,Jones,HLTH,Health and Social Services,,,cy,yes\n"
    + "1002,owain@gov.wales,Owain,Rees,ECON,Economy,Economi,,cy,yes\n"
    + "1003,sam@gov.wales,Sam,Smith,ECON,Economy,Economi,,en,yes\n"
)
ENTRA_LIKE = (
    "employeeId,mail,givenName,surname,department\n"
    "2001,a@gov.wales,Alun,Evans,health & social services\n"
    "2002,b@gov.wales,Beca,Evans,Education\n"
)


@pytest.fixture
def portal_departments():
    return {
        "HSS": DepartmentFactory(
            code="HSS", name_en="Health and Social Services", name_cy="Iechyd a Gwasanaethau Cymdeithasol"
        ),
        "ECON": DepartmentFactory(code="ECON", name_en="Economy, Treasury and Constitution", name_cy="Yr Economi"),
        "EDU": DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg"),
    }


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def test_each_department_decision_is_in_the_plan_and_nothing_is_renamed_unless_hr_choose(portal_departments):
    plan = import_staff(data=HR_FILE.encode())
    [duplicate] = plan.likely_duplicates
    assert (duplicate.code, duplicate.code_from_file, duplicate.duplicate_of.code) == ("HLTH", True, "HSS")
    [difference] = plan.name_differences
    assert (difference.department.code, difference.name_en, difference.name_cy) == ("ECON", "Economy", "Economi")
    assert User.objects.get(staff_number="1001").department.code == "HSS"
    econ = Department.objects.get(code="ECON")
    assert (econ.name_en, econ.name_cy) == ("Economy, Treasury and Constitution", "Yr Economi")
    import_staff(data=HR_FILE.encode(), rename_departments=["econ"], keep_duplicates=["HLTH"])
    econ.refresh_from_db()
    assert (econ.name_en, econ.name_cy) == ("Economy", "Economi")
    assert User.objects.get(staff_number="1001").department.code == "HLTH"


def test_a_name_like_an_existing_one_is_a_decision_and_an_exact_one_is_not(portal_departments):
    plan = import_staff(data=ENTRA_LIKE.encode())
    [matched] = plan.likely_duplicates
    assert (matched.name_en, matched.code_from_file, matched.duplicate_of.code) == (
        "health & social services",
        False,
        "HSS",
    )
    assert plan.name_differences == []  # "Education" is the portal's name exactly: nothing to decide
    assert User.objects.get(staff_number="2001").department.code == "HSS"
    assert User.objects.get(staff_number="2002").department.code == "EDU"
    import_staff(data=ENTRA_LIKE.encode(), keep_duplicates=[matched.code])
    assert User.objects.get(staff_number="2001").department.name_en == "health & social services"


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                "Department decisions to check",
                "Check how departments were matched",
                "The file’s department HLTH “Health and Social Services”: the portal has no department HLTH",
                "Use the portal’s department HSS – Health and Social Services",
                "Create a new department HLTH – Health and Social Services",
                "Department ECON is called “Economy / Economi” in the file and “Economy, Treasury and Constitution / Yr Economi” in the portal",
                "Keep the portal’s name: Economy, Treasury and Constitution / Yr Economi",
                "Use the name in the file: Economy / Economi",
            ],
        ),
        (
            "cy",
            [
                "Penderfyniadau am adrannau i'w gwirio",
                "Gwiriwch sut y parwyd adrannau",
                "Adran HLTH “Health and Social Services” yn y ffeil: nid oes gan y porth adran HLTH",
                "Defnyddio adran y porth HSS – Health and Social Services",
                "Creu adran newydd HLTH – Health and Social Services",
                "Enw adran ECON yn y ffeil yw “Economy / Economi”, ac yn y porth “Economy, Treasury and Constitution / Yr Economi”",
                "Cadw enw'r porth: Economy, Treasury and Constitution / Yr Economi",
                "Defnyddio'r enw yn y ffeil: Economy / Economi",
            ],
        ),
    ],
)
def test_the_preview_lists_each_department_decision_in_the_pages_language(
    hr_client, portal_departments, language, texts
):
    _url, preview = upload_and_preview(hr_client, HR_FILE.encode(), language=language)
    preview = html.unescape(preview)
    missing = [text for text in texts if text not in preview]
    assert not missing, missing


def test_hr_change_the_decisions_on_the_preview_and_the_import_follows_them(hr_client, portal_departments):
    preview_url, _preview = upload_and_preview(hr_client, HR_FILE.encode())
    response = hr_client.post(
        preview_url, {"confirm": "", "duplicate_HLTH": "new", "rename_ECON": "rename", "accept_departments": "on"}
    )
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    assert User.objects.get(staff_number="1001").department.code == "HLTH"
    econ = Department.objects.get(code="ECON")
    assert (econ.name_en, econ.name_cy) == ("Economy", "Economi")


def test_accepting_the_decisions_as_shown_changes_no_department(hr_client, portal_departments):
    preview_url, _preview = upload_and_preview(hr_client, HR_FILE.encode())
    response = hr_client.post(preview_url, {"confirm": "", "duplicate_HLTH": "existing", "rename_ECON": "keep"})
    assert response.status_code == 302
    assert User.objects.get(staff_number="1001").department.code == "HSS"
    assert Department.objects.get(code="ECON").name_en == "Economy, Treasury and Constitution"
    assert not Department.objects.filter(code="HLTH").exists()


def test_a_name_matched_department_and_the_origin_of_each_new_code_are_on_the_preview(hr_client, portal_departments):
    text = ENTRA_LIKE + "2003,c@gov.wales,Cai,Evans,Climate Change\n"
    _url, preview = upload_and_preview(hr_client, text.encode())
    preview = html.unescape(preview)
    assert "The file’s department “health & social services” was matched by its name to the portal’s HSS" in preview
    assert "Create a new department HSS-2 – health & social services (a code made from its name)" in preview
    assert "CC – Climate Change (Welsh name missing). Code made from the name, as the file has none." in preview


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            [
                "Row 5: “nope” is not a valid email address.",
                "Departments you will be asked about",
                "The file’s department HLTH “Health and Social Services”: the portal has no department HLTH",
                "Chosen for you: Use the portal’s department HSS – Health and Social Services. Or: Create a new department HLTH",
                "Department ECON is called “Economy / Economi” in the file",
                "Chosen for you: Keep the portal’s name: Economy, Treasury and Constitution / Yr Economi.",
                "NEWT – Newt Affairs (new department). Code from the file.",
            ],
        ),
        (
            "cy",
            [
                "Rhes 5: Nid yw “nope” yn gyfeiriad e-bost dilys.",
                "Adrannau y gofynnir i chi amdanynt",
                "Wedi'i ddewis i chi: Defnyddio adran y porth HSS – Health and Social Services. Neu: Creu adran newydd HLTH",
                "NEWT – Newt Affairs (adran newydd). Cod o'r ffeil.",
            ],
        ),
    ],
)
def test_a_file_with_problems_already_shows_the_department_questions_to_come(
    hr_client, portal_departments, language, texts
):
    """HR learn everything from one upload: the problems to correct and what they will be asked about departments."""
    text = HR_FILE + "1004,nope,Nia,Jones,NEWT,Newt Affairs,,,cy,yes\n"
    _url, preview = upload_and_preview(hr_client, text.encode(), language=language)
    preview = html.unescape(preview)
    missing = [text for text in texts if text not in preview]
    assert not missing, missing
    assert 'name="duplicate_HLTH"' not in preview  # nothing to choose until the file is corrected
