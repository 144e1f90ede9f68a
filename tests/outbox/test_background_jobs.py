"""The progress page in each state, in both languages, and a job whose worker fails or dies never stays "working"."""

import pytest
from django.utils import timezone

from outbox import background
from outbox.models import BackgroundJob
from reporting import workbook

pytestmark = pytest.mark.django_db

WORDS = {
    "queued": {"en": "Waiting to start", "cy": "Yn aros i ddechrau"},
    "running": {"en": "3 of 8 people written", "cy": "Pobl wedi'u hysgrifennu: 3 o 8"},
    "failed": {"en": "The download could not be made.", "cy": "Nid oedd modd creu'r ffeil."},
    "updating": {"en": "Stop updating this page by itself", "cy": "Peidio â diweddaru'r dudalen hon yn awtomatig"},
}


@pytest.fixture
def download(hr, cycle):
    return background.start_job(
        kind=BackgroundJob.Kind.STAFF_XLSX, by=hr, params={"cycle": cycle.pk, "outstanding": False}, language="en"
    )


def progress_page(client, job, language, query=""):
    prefix = "/en/hr/progress/" if language == "en" else "/cy/ad/cynnydd/"
    response = client.get(f"{prefix}{job.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_queued_then_running_with_its_progress(client, hr, download, language):
    client.force_login(hr)
    page = progress_page(client, download, language)
    assert WORDS["queued"][language] in page
    assert '<meta http-equiv="refresh" content="5">' in page and WORDS["updating"][language] in page
    claimed = background._claim(download.pk)  # as the worker does when it picks the task up
    background._progress_recorder(claimed)(3, 8)
    page = progress_page(client, download, language)
    assert WORDS["running"][language] in page
    assert 'max="8" value="3"' in page
    assert 'http-equiv="refresh"' in page


def test_the_person_can_stop_the_page_refreshing(client, hr, download):
    client.force_login(hr)
    page = progress_page(client, download, "en", "?refresh=off")
    assert 'http-equiv="refresh"' not in page
    assert "Check again" in page


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_task_that_raises_shows_failed_and_stops_refreshing(
    client, hr, download, language, monkeypatch, deliver_outbox, caplog
):
    def broken(**kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(workbook, "xlsx_file", broken)
    deliver_outbox()
    download.refresh_from_db()
    assert download.status == BackgroundJob.Status.FAILED
    client.force_login(hr)
    page = progress_page(client, download, language)
    assert WORDS["failed"][language] in page
    assert "out of memory" not in page  # an unexpected error's own text is for the log, not the page
    assert 'http-equiv="refresh"' not in page


def test_a_job_whose_worker_died_is_marked_failed_by_the_sweep(client, hr, download, settings):
    claimed = background._claim(download.pk)
    assert background.fail_abandoned(now=claimed.locked_until - timezone.timedelta(seconds=1)) == 0  # still leased
    assert background.fail_abandoned(now=claimed.locked_until + timezone.timedelta(seconds=1)) == 1
    client.force_login(hr)
    page = progress_page(client, download, "cy")
    assert WORDS["failed"]["cy"] in page


def test_a_job_nobody_picked_up_is_marked_failed_after_the_lease(hr, download):
    later = download.created_at + background.lease() + timezone.timedelta(seconds=1)
    assert background.fail_abandoned(now=later) == 1
    download.refresh_from_db()
    assert download.status == BackgroundJob.Status.FAILED


def test_the_periodic_job_deletes_expired_files_and_orphans(hr, download, settings, deliver_outbox):
    deliver_outbox()
    download.refresh_from_db()
    stored = settings.PORTAL_FILES_DIR / download.stored_name
    orphan = settings.PORTAL_FILES_DIR / "left-by-a-killed-worker"
    orphan.write_bytes(b"x")
    assert stored.exists()
    from outbox.jobs import tidy_background_jobs

    tidy_background_jobs()
    assert stored.exists() and orphan.exists()  # nothing is past its time yet
    import os

    old = (timezone.now() - background.lease() * 2).timestamp()
    os.utime(orphan, (old, old))
    BackgroundJob.objects.filter(pk=download.pk).update(expires_at=timezone.now())
    assert tidy_background_jobs() == {"failed": 0, "expired": 1}
    assert not stored.exists() and not orphan.exists()


def test_a_job_cut_off_by_a_database_outage_is_failed_at_once_not_after_its_lease(client, hr, download):
    from django_tasks_db.models import DBTaskResult

    from outbox.worker import release_interrupted

    DBTaskResult.objects.get().claim("worker-1")  # as the worker left it when the database went away
    background._claim(download.pk)
    assert release_interrupted("worker-1") == 1
    client.force_login(hr)
    assert WORDS["failed"]["en"] in progress_page(client, download, "en")
