"""An import that fails half-way leaves the directory as it was: all rows or none, on every database (this needs no
concurrency, so it runs on SQLite too), for `manage.py import_staff` and HR's confirm button alike."""

import pytest
from django.core.management import call_command

from directory.importing import applying
from directory.models import Department, StaffImport
from directory.services import apply_staff_import, import_staff, upload_staff_list
from portal.models import User

from ..factories import UserFactory

# Committed for real (not rolled back around the test), so a missing transaction would leave the half-written rows.
pytestmark = pytest.mark.django_db(transaction=True)

DATA = (
    b"staff_number,email,first_name,last_name,department_code,department_name_en,department_name_cy,"
    b"line_manager_staff_number,preferred_language,active\n"
    b"0001,a@gov.wales,Changed,A,NEW,New,Newydd,,en,yes\n"
    b"0002,b@gov.wales,B,B,NEW,New,Newydd,0001,en,yes\n"
)


@pytest.fixture
def fails_half_way(monkeypatch):
    """The department and the new person are written by then; updating the existing person fails."""

    def failing_updates(*args, **kwargs):
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(applying, "_update_changed", failing_updates)


def assert_directory_unchanged(existing, departments):
    existing.refresh_from_db()
    assert existing.first_name == "Original"
    assert not User.objects.filter(staff_number="0002").exists()
    assert Department.objects.count() == departments


def test_the_command_line_import_is_all_or_nothing(tmp_path, fails_half_way):
    existing = UserFactory(staff_number="0001", first_name="Original")
    departments = Department.objects.count()
    staff_list = tmp_path / "staff.csv"
    staff_list.write_bytes(DATA)
    with pytest.raises(RuntimeError):
        call_command("import_staff", str(staff_list))
    assert_directory_unchanged(existing, departments)
    with pytest.raises(RuntimeError):
        import_staff(data=DATA)
    assert_directory_unchanged(existing, departments)


def test_confirming_an_import_is_all_or_nothing(fails_half_way):
    existing = UserFactory(staff_number="0001", first_name="Original")
    hr = UserFactory(roles=["HR"])
    departments = Department.objects.count()
    record = upload_staff_list(by=hr, data=DATA, filename="staff.csv")
    with pytest.raises(RuntimeError):
        apply_staff_import(staff_import_id=record.pk, by=hr)
    assert_directory_unchanged(existing, departments)
    assert StaffImport.objects.get(pk=record.pk).status == StaffImport.Status.PREVIEWED  # can be confirmed again
