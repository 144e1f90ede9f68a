"""manage.py import_staff matches the web: the plan first, a confirmation before anyone is made inactive."""

import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import Department
from portal.models import User

from ..factories import DepartmentFactory, UserFactory
from .helpers import GOOD, HEADER

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """Standard input as a person at a terminal: the answer they type."""

    def isatty(self):
        return True


class Pipe(io.StringIO):
    """Standard input from cron or a script: no one to answer. Reading it would fail the test, not hang it."""

    def isatty(self):
        return False

    def readline(self, *args):
        raise AssertionError("the command waited for an answer nobody can give")


@pytest.fixture
def staff_file(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.fixture
def leaver():
    return UserFactory(staff_number="0999", first_name="Gareth", last_name="Leaver")


def run(*args, stdin=None) -> str:
    out = io.StringIO()
    call_command("import_staff", *[str(arg) for arg in args], stdout=out, stdin=stdin or Pipe())
    return out.getvalue()


def test_a_full_list_prints_the_plan_and_asks_before_making_anyone_inactive(staff_file, leaver):
    with pytest.raises(CommandError, match="Cancelled: nothing was changed"):
        run(staff_file, "--full", stdin=Terminal("no\n"))
    leaver.refresh_from_db()
    assert leaver.is_active and not User.objects.filter(staff_number="1001").exists()
    output = run(staff_file, "--full", stdin=Terminal("yes\n"))
    assert "Made inactive (not in the full list): 1" in output
    assert "0999 – Gareth Leaver" in output
    assert "Make 1 person inactive and import? Type yes to continue:" in output
    leaver.refresh_from_db()
    assert not leaver.is_active and User.objects.filter(staff_number="1001").exists()


def test_without_a_terminal_the_command_refuses_instead_of_waiting(staff_file, leaver):
    with pytest.raises(CommandError, match="needs confirmation. Nothing was changed: run it again with --yes"):
        run(staff_file, "--full", stdin=Pipe())
    leaver.refresh_from_db()
    assert leaver.is_active and User.objects.count() == 1


def test_yes_confirms_for_scripts_and_prints_what_it_did(staff_file, leaver):
    output = run(staff_file, "--full", "--yes")
    assert "New people: 3" in output and "Made inactive (not in the full list): 1" in output
    leaver.refresh_from_db()
    assert not leaver.is_active


def test_a_dry_run_shows_the_plan_and_changes_nothing(staff_file, leaver):
    departments = Department.objects.count()
    output = run(staff_file, "--full", "--dry-run", "--yes")
    assert "New people: 3" in output and "0999 – Gareth Leaver" in output
    assert "Dry run: nothing was changed." in output
    leaver.refresh_from_db()
    assert leaver.is_active and User.objects.count() == 1 and Department.objects.count() == departments


def test_the_active_column_making_someone_inactive_also_asks(tmp_path):
    UserFactory(staff_number="1003", email="sam.smith@gov.wales", first_name="Sam", last_name="Smith")
    path = tmp_path / "staff.csv"
    path.write_text(GOOD.replace(",en,yes", ",en,no"), encoding="utf-8")
    with pytest.raises(CommandError, match="makes 1 person inactive"):
        run(path)
    assert User.objects.get(staff_number="1003").is_active
    output = run(path, stdin=Terminal("y\n"))
    assert "Made inactive by the file's Active column: 1" in output and "1003 – Sam Smith" in output
    assert not User.objects.get(staff_number="1003").is_active


def test_an_import_that_makes_nobody_inactive_does_not_ask(staff_file):
    output = run(staff_file, stdin=Pipe())
    assert "New people: 3" in output and "Imported." in output
    assert User.objects.filter(staff_number__in=["1001", "1002", "1003"]).count() == 3


def test_the_plan_names_each_department_decision_and_the_option_to_change_it(tmp_path):
    DepartmentFactory(code="HSS", name_en="Health and Social Services", name_cy="Iechyd")
    DepartmentFactory(code="ECON", name_en="Economy, Treasury and Constitution", name_cy="Yr Economi")
    path = tmp_path / "staff.csv"
    path.write_text(
        HEADER
        + "1001,a@gov.wales,A,A,HLTH,Health and Social Services,,,cy,yes\n"
        + "1002,b@gov.wales,B,B,ECON,Economy,,,cy,yes\n"
        + "1003,c@gov.wales,C,C,,Climate Change,,,cy,yes\n",
        encoding="utf-8",
    )
    output = run(path, "--dry-run")
    assert (
        "using the portal's HSS – Health and Social Services. To create it as HLTH instead, add --create-duplicate HLTH"
        in output
    )
    assert (
        "Department ECON is called “Economy” in the file: keeping the portal's “Economy, Treasury and Constitution”"
        in output
    )
    assert "add --rename-department ECON" in output
    assert "New department CC – Climate Change (code made from the name; Welsh name missing" in output
    run(path, "--rename-department", "ECON", "--create-duplicate", "HLTH")
    assert Department.objects.get(code="ECON").name_en == "Economy"
    assert User.objects.get(staff_number="1001").department.code == "HLTH"


def test_a_file_with_problems_is_refused_before_any_question(tmp_path, leaver):
    path = tmp_path / "bad.csv"
    path.write_text(GOOD.replace("sam.smith@gov.wales", "not-an-email"), encoding="utf-8")
    with pytest.raises(CommandError, match="Row 4: “not-an-email” is not a valid email address"):
        run(path, "--full", stdin=Terminal("yes\n"))
    leaver.refresh_from_db()
    assert leaver.is_active


def test_nothing_is_written_if_the_directory_changed_after_hr_confirmed(staff_file, leaver):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from directory.services import import_staff

    with translation.override("en"), pytest.raises(ValidationError, match="is now 1, not 0"):
        import_staff(data=staff_file.read_bytes(), full=True, confirmed_deactivations=0)
    leaver.refresh_from_db()
    assert leaver.is_active and not User.objects.filter(staff_number="1001").exists()
