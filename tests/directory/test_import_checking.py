"""A large staff list is read and checked by a real worker run, once: the upload and the columns step show the
progress page, the preview shows what the worker kept without checking again, and the confirmation still checks
against the directory as it is then. In both languages, without JavaScript."""

import html

import pytest

from directory.importing import planning
from directory.models import StaffImport
from outbox.models import BackgroundJob
from portal.models import User

from ..factories import UserFactory
from .helpers import (
    ENTRA_EXPORT,
    GOOD,
    accept_columns,
    is_progress,
    ods_bytes,
    through_progress,
    upload,
    upload_and_preview,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

WORDS = {
    "checking": {"en": "Checking the staff list", "cy": "Wrthi'n gwirio'r rhestr staff"},
    "waiting": {"en": "Waiting to start", "cy": "Yn aros i ddechrau"},
    "new people": {"en": "New people", "cy": "Pobl newydd"},
    "not checked": {
        "en": "The staff list could not be checked. Nothing was imported.",
        "cy": "Nid oedd modd gwirio'r rhestr staff. Ni fewnforiwyd dim.",
    },
    "not utf-8": {
        "en": "The file is not saved as UTF-8",
        "cy": "Nid yw'r ffeil wedi'i chadw fel UTF-8",
    },
    "imported": {
        "en": "Staff list imported: 2 new, 1 changed, 0 made inactive.",
        "cy": "Mae'r rhestr staff wedi'i mewnforio: 2 newydd, 1 wedi newid, 0 wedi'u gwneud yn anweithredol.",
    },
}


@pytest.fixture
def large(settings):
    settings.BACKGROUND_IMPORT_ROWS = 2  # GOOD has three rows


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def checks(status=None):
    jobs = BackgroundJob.objects.filter(kind=BackgroundJob.Kind.STAFF_IMPORT_PLAN)
    return jobs.filter(status=status) if status else jobs


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_large_file_is_read_and_checked_by_the_worker_not_the_request(
    hr_client, large, deliver_outbox, language, django_assert_max_num_queries, monkeypatch
):
    response = upload(hr_client, GOOD.encode(), language=language)
    progress_url = response["Location"]
    assert is_progress(progress_url)
    assert StaffImport.objects.get().table == {}  # the request kept the file and read none of it
    page = text(hr_client.get(progress_url))
    assert WORDS["checking"][language] in page and WORDS["waiting"][language] in page
    assert '<meta http-equiv="refresh" content="5">' in page  # it refreshes itself, without JavaScript
    columns_url = through_progress(hr_client, progress_url, deliver_outbox)
    assert "/columns/" in columns_url or "/colofnau/" in columns_url
    record = StaffImport.objects.get()
    assert record.row_count == 3 and record.upload == b"" and record.preview["counts"]["new"] == 3
    # The columns as the worker matched them: continuing goes straight to the preview, checked already.
    response = accept_columns(hr_client, columns_url)
    preview_url = response["Location"]
    assert not is_progress(preview_url)
    assert checks().count() == 1
    # The session, the person, the upload's row (without its table) and the jobs about it: the directory is not
    # read (checking these three rows here would take ten queries, a large file's seconds).
    with monkeypatch.context() as patched:
        patched.setattr("directory.services.build_plan", checking_in_the_request)
        with django_assert_max_num_queries(6):
            page = text(hr_client.get(preview_url))
        assert is_progress(hr_client.post(preview_url, {"confirm": "", "accept_departments": "on"})["Location"])
    assert WORDS["new people"][language] in page
    assert "1001 – Ffion Jones" in page and "1003 – Sam Smith" in page


def checking_in_the_request(*args, **kwargs):
    raise AssertionError("the request checked the file: the worker's check should have been shown")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_preview_shows_the_kept_check_and_the_confirmation_checks_again(hr_client, large, deliver_outbox, language):
    preview_url, page = upload_and_preview(hr_client, GOOD.encode(), language=language, worker=deliver_outbox)
    assert '<dd class="govuk-summary-list__value">3</dd>' in page  # three new people
    UserFactory(staff_number="1001", first_name="Ffion", last_name="Jones")  # the directory changes meanwhile
    page = text(hr_client.get(preview_url))
    assert '<dd class="govuk-summary-list__value">3</dd>' in page  # shown as the worker checked it: not again
    response = hr_client.post(preview_url, {"confirm": "", "accept_departments": "on"})
    progress_url = response["Location"]
    assert is_progress(progress_url)
    deliver_outbox()
    # The worker checked again before writing: 1001 is now in the directory, so it is changed, not new.
    assert WORDS["imported"][language] in text(hr_client.get(progress_url))
    assert User.objects.filter(staff_number="1001").count() == 1
    assert User.objects.get(staff_number="1001").email == "ffion.jones@gov.wales"


def test_changing_the_columns_checks_the_file_again_in_the_worker(hr_client, large, deliver_outbox):
    UserFactory(staff_number="1003", first_name="Sam", last_name="Smith", email="sam.smith@gov.wales",
                preferred_language="cy")  # fmt: skip
    response = upload(hr_client, GOOD.encode())
    columns_url = through_progress(hr_client, response["Location"], deliver_outbox)
    preview_url = accept_columns(hr_client, columns_url)["Location"]
    assert "Preferred language" in text(hr_client.get(preview_url))  # 1003's language differs from the file's
    response = accept_columns(hr_client, columns_url, preferred_language="")  # the file's language column left out
    assert is_progress(response["Location"])
    assert hr_client.get(preview_url)["Location"] == response["Location"]  # the old check is never shown again
    assert through_progress(hr_client, response["Location"], deliver_outbox) == preview_url
    page = text(hr_client.get(preview_url))
    assert "1003 – Sam Smith" in page and "Preferred language" not in page
    assert checks(BackgroundJob.Status.DONE).count() == 2


def test_an_out_of_date_check_is_never_used_nor_redone_in_the_request(hr_client, large, deliver_outbox, monkeypatch):
    preview_url, _page = upload_and_preview(hr_client, GOOD.encode(), worker=deliver_outbox)
    columns_url = preview_url + "columns/"
    response = accept_columns(hr_client, columns_url, preferred_language="")

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("directory.services.build_plan", broken)
    deliver_outbox()  # the new check fails
    assert "Try again" in text(hr_client.get(response["Location"]))
    response = hr_client.get(preview_url)  # the upload is kept (it was read), but its check is out of date
    assert response["Location"] == columns_url
    page = text(hr_client.get(columns_url))
    assert "Check the columns and continue: the portal then checks the file again." in page


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_large_file_that_cannot_be_read_fails_on_the_progress_page_and_keeps_nothing(
    hr_client, large, deliver_outbox, language
):
    latin1 = GOOD.replace("Ffion", "Ffiôn").encode("cp1252")
    progress_url = upload(hr_client, latin1, language=language)["Location"]
    assert is_progress(progress_url)
    deliver_outbox()
    page = text(hr_client.get(progress_url))
    assert WORDS["not checked"][language] in page and WORDS["not utf-8"][language] in page
    assert 'http-equiv="refresh"' not in page
    assert not StaffImport.objects.exists()  # nothing of the file is kept
    assert checks().get().status == BackgroundJob.Status.FAILED


def test_a_check_that_breaks_half_way_saves_nothing(hr_client, large, deliver_outbox, monkeypatch):
    progress_url = upload(hr_client, GOOD.encode())["Location"]

    def broken(plan):
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(planning, "check_managers", broken)  # after the file was read, while checking it
    deliver_outbox()
    page = text(hr_client.get(progress_url))
    assert WORDS["not checked"]["en"] in page and "went away" not in page
    assert not StaffImport.objects.exists()


def test_nobody_else_sees_a_check_or_its_upload(client, hr, large, deliver_outbox):
    client.force_login(hr)
    progress_url = upload(client, GOOD.encode())["Location"]
    other = UserFactory(roles=["HR"])
    client.force_login(other)
    assert client.get(progress_url).status_code == 404
    record = StaffImport.objects.get()
    assert client.get(f"/en/hr/import/{record.pk}/columns/").status_code == 404
    deliver_outbox()
    assert client.get(progress_url).status_code == 404  # done: still not theirs to be sent on from
    assert client.get(f"/en/hr/import/{record.pk}/").status_code == 404
    client.force_login(hr)
    assert "/columns/" in client.get(progress_url)["Location"]


def test_a_small_file_is_read_and_checked_at_once(hr_client, deliver_outbox):
    preview_url, page = upload_and_preview(hr_client, GOOD.encode())  # no worker: it would fail the helper
    assert "1001 – Ffion Jones" in page
    assert not BackgroundJob.objects.exists()
    assert StaffImport.objects.get().preview == {}  # nothing kept: each view checks again


def test_an_upload_kept_before_samples_still_shows_its_columns(hr_client):
    response = upload(hr_client, GOOD.encode())
    record = StaffImport.objects.get()
    record.table.pop("sample")
    record.save(update_fields=["table"])
    page = text(hr_client.get(response["Location"]))
    assert "ffion.jones@gov.wales" in page  # an example from the file's rows


def test_a_large_files_problems_are_kept_in_both_languages_and_nothing_can_be_confirmed(
    hr_client, large, deliver_outbox
):
    bad = GOOD.replace("owain.ap.dafydd@gov.wales", "nope")
    preview_url, page = upload_and_preview(hr_client, bad.encode(), worker=deliver_outbox)  # checked in English
    assert "Row 3: “nope” is not a valid email address." in html.unescape(page)
    welsh = text(hr_client.get(preview_url.replace("/en/hr/import/", "/cy/ad/mewnforio/")))
    assert "Rhes 3: Nid yw “nope” yn gyfeiriad e-bost dilys." in welsh  # read in Welsh, without checking again
    assert checks().count() == 1
    assert "Confirm and import" not in page
    assert hr_client.post(preview_url, {"confirm": "", "accept_departments": "on"}).status_code == 200
    assert not BackgroundJob.objects.filter(kind=BackgroundJob.Kind.STAFF_IMPORT).exists()


def test_the_entra_export_is_checked_once_and_imported_by_the_worker(hr_client, large, deliver_outbox):
    preview_url, page = upload_and_preview(hr_client, ENTRA_EXPORT.read_bytes(), "users.csv", worker=deliver_outbox)
    assert checks().count() == 1  # the columns the worker matched were kept: no second check
    assert "Guest accounts skipped" in page and "LS – Legal Services" in page
    response = hr_client.post(preview_url, {"confirm": ""})
    assert "Confirm the new departments" in text(response)  # asked from the kept check
    response = hr_client.post(preview_url, {"confirm": "", "accept_departments": "on"})
    deliver_outbox()
    assert "Staff list imported:" in text(hr_client.get(response["Location"]))
    assert User.objects.get(email="llyr.evans@gov.wales").first_name == "Llŷr"
    assert StaffImport.objects.get().preview == {}  # the names it showed are not kept after the import


@pytest.mark.parametrize(("name", "make"), [("staff.xlsx", xlsx_bytes), ("staff.ods", ods_bytes)])
def test_a_large_workbook_is_read_by_the_worker(hr_client, large, deliver_outbox, name, make):
    response = upload(hr_client, make(), name)
    assert is_progress(response["Location"])  # a workbook's size tells, before it is opened
    _url, page = upload_and_preview(hr_client, make(), name, worker=deliver_outbox)
    assert "5001 – Llŷr Ŵyn-Jones" in html.unescape(page)
