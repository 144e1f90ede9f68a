"""A large import confirmed on the preview page is applied by a real worker run: all rows or none, and the progress
page tells the person which, in their language."""

import html

import pytest

from directory.importing import applying
from directory.models import StaffImport
from outbox.models import BackgroundJob
from portal.models import User

from .helpers import GOOD, upload_and_preview

pytestmark = pytest.mark.django_db

NUMBERS = ["1001", "1002", "1003"]


@pytest.fixture
def large(settings):
    settings.BACKGROUND_IMPORT_ROWS = 2  # GOOD has three rows


def confirm(client, preview_url):
    response = client.post(preview_url, {"confirm": "", "accept_departments": "on"})
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_large_import_is_applied_by_the_worker(client, hr, large, deliver_outbox, language):
    client.force_login(hr)
    preview_url, _page = upload_and_preview(client, GOOD.encode(), language=language, worker=deliver_outbox)
    progress_url = confirm(client, preview_url)
    assert "/hr/progress/" in progress_url or "/ad/cynnydd/" in progress_url
    assert not User.objects.filter(staff_number__in=NUMBERS).exists()  # the request wrote nothing
    assert client.get(preview_url)["Location"] == progress_url  # a second look at the preview shows the progress
    deliver_outbox()
    page = client.get(progress_url).content.decode()
    expected = {
        "en": "Staff list imported: 3 new, 0 changed, 0 made inactive.",
        "cy": "Mae'r rhestr staff wedi'i mewnforio: 3 newydd, 0 wedi newid, 0 wedi'u gwneud yn anweithredol.",
    }
    assert expected[language] in html.unescape(page)
    assert User.objects.filter(staff_number__in=NUMBERS).count() == 3
    assert StaffImport.objects.get().status == StaffImport.Status.APPLIED


@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_import_failing_in_the_worker_changes_nothing(client, hr, large, deliver_outbox, monkeypatch, language):
    client.force_login(hr)
    preview_url, _page = upload_and_preview(client, GOOD.encode(), language=language, worker=deliver_outbox)
    progress_url = confirm(client, preview_url)

    def failing_managers(*args, **kwargs):
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(applying, "_update_changed", failing_managers)  # after the newcomers are inserted
    deliver_outbox()
    assert not User.objects.filter(staff_number__in=NUMBERS).exists()
    assert BackgroundJob.objects.get(kind=BackgroundJob.Kind.STAFF_IMPORT).status == BackgroundJob.Status.FAILED
    assert StaffImport.objects.get().status == StaffImport.Status.PREVIEWED  # may be confirmed again
    page = client.get(progress_url).content.decode()
    expected = {
        "en": "The staff list was not imported. Nothing was changed.",
        "cy": "Ni chafodd y rhestr staff ei mewnforio. Ni newidiwyd dim.",
    }
    assert expected[language] in page
    assert client.get(preview_url).status_code == 200  # the preview is open again, to try once more


def test_small_imports_stay_immediate(client, hr, deliver_outbox):
    client.force_login(hr)
    preview_url, _page = upload_and_preview(client, GOOD.encode())
    confirm(client, preview_url)
    assert User.objects.filter(staff_number__in=NUMBERS).count() == 3
    assert not BackgroundJob.objects.exists()


def test_someone_else_cannot_see_an_imports_progress(client, hr, large, deliver_outbox):
    from ..factories import UserFactory

    client.force_login(hr)
    preview_url, _page = upload_and_preview(client, GOOD.encode(), worker=deliver_outbox)
    progress_url = confirm(client, preview_url)
    client.force_login(UserFactory(roles=["HR"]))
    assert client.get(progress_url).status_code == 404
