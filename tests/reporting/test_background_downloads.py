"""HR's downloads of a large organisation are made by a real worker run, and are the very file the immediate download
gives; only the person who asked can fetch it, and the periodic job deletes it when it expires."""

import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from outbox.background import delete_expired
from outbox.models import BackgroundJob

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PREFIX = {"en": "/en/hr/download/", "cy": "/cy/ad/lawrlwytho/"}


def immediate(client, query: str, language: str) -> tuple[bytes, str]:
    response = client.get(f"{PREFIX[language]}?{query}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return body, response["Content-Disposition"]


def in_background(client, query: str, language: str, deliver_outbox) -> tuple[bytes, str, str]:
    """Ask through the prepare page's button, let the worker run, and fetch the file from the progress page."""
    prepare = client.get(f"{PREFIX[language]}?{query}")
    assert prepare.status_code == 200 and 'id="prepare"' in prepare.content.decode()
    assert not BackgroundJob.objects.exists()  # a link changes nothing; the button does
    fields = dict(pair.split("=") for pair in query.split("&"))
    started = client.post(PREFIX[language], fields)
    progress_url = started["Location"]
    waiting = client.get(progress_url).content.decode()
    assert ("Waiting to start" if language == "en" else "Yn aros i ddechrau") in waiting
    assert 'http-equiv="refresh"' in waiting
    deliver_outbox()
    ready = client.get(progress_url).content.decode()
    assert ("Your download is ready" if language == "en" else "Mae eich ffeil yn barod") in ready
    assert 'http-equiv="refresh"' not in ready  # finished: the page stops reloading itself
    link = re.search(r'id="download" href="([^"]+)"', ready).group(1)
    response = client.get(link)
    assert response.status_code == 200
    return b"".join(response.streaming_content), response["Content-Disposition"], link


def workbook_cells(body: bytes, language: str) -> dict:
    """Every cell of every sheet, but the summary's "Generated" time: the moment each file was made."""
    with translation.override(language):
        generated = _("Generated")
    book = load_workbook(io.BytesIO(body))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True) if row[0] != generated]
        for sheet in book.worksheets
    }


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("outstanding", [False, True])
def test_the_workers_csv_is_the_immediate_csv(
    client, hr, cycle, workforce, settings, deliver_outbox, language, outstanding
):
    client.force_login(hr)
    query = f"cycle={cycle.pk}&format=csv" + ("&outstanding=on" if outstanding else "")
    direct, direct_name = immediate(client, query, language)
    settings.BACKGROUND_EXPORT_PEOPLE = len(workforce) - 1  # fewer than the report covers
    made, made_name, _link = in_background(client, query, language, deliver_outbox)
    assert made == direct
    assert made_name == direct_name
    assert direct.decode("utf-8-sig").count("\n") > 1  # a header and people, not an empty file


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_workers_xlsx_has_the_immediate_workbooks_cells(
    client, hr, cycle, workforce, settings, deliver_outbox, language
):
    client.force_login(hr)
    query = f"cycle={cycle.pk}&format=xlsx"
    direct, direct_name = immediate(client, query, language)
    settings.BACKGROUND_EXPORT_PEOPLE = len(workforce) - 1  # fewer than the report covers
    made, made_name, _link = in_background(client, query, language, deliver_outbox)
    assert workbook_cells(made, language) == workbook_cells(direct, language)
    assert made_name == direct_name


def test_small_downloads_stay_immediate(client, hr, cycle, workforce, settings):
    client.force_login(hr)
    settings.BACKGROUND_EXPORT_PEOPLE = 100
    response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert not BackgroundJob.objects.exists()


def test_only_the_person_who_asked_can_see_or_fetch_the_file(client, hr, cycle, workforce, settings, deliver_outbox):
    client.force_login(hr)
    settings.BACKGROUND_EXPORT_PEOPLE = 0
    _body, _name, link = in_background(client, f"cycle={cycle.pk}&format=csv", "en", deliver_outbox)
    job = BackgroundJob.objects.get()
    progress = f"/en/hr/progress/{job.pk}/"
    other_hr = UserFactory(roles=["HR"])
    client.force_login(other_hr)
    assert client.get(progress).status_code == 404
    assert client.get(link).status_code == 404
    client.force_login(workforce[0])  # staff, no HR role
    assert client.get(link).status_code == 404
    hr.groups.clear()  # the requester no longer in HR: the file is not theirs to take any more
    client.force_login(hr)
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302  # to sign-in


def test_the_file_is_deleted_when_it_expires_and_the_page_says_so(
    client, hr, cycle, workforce, settings, deliver_outbox
):
    client.force_login(hr)
    settings.BACKGROUND_EXPORT_PEOPLE = 0
    _body, _name, link = in_background(client, f"cycle={cycle.pk}&format=csv", "en", deliver_outbox)
    job = BackgroundJob.objects.get()
    stored = settings.PORTAL_FILES_DIR / job.stored_name
    assert stored.exists() and stored.stat().st_mode & 0o077 == 0  # only the portal's own user may read it
    assert delete_expired(now=job.expires_at) == 1
    assert not stored.exists()
    assert client.get(link).status_code == 404
    page = client.get(f"/cy/ad/cynnydd/{job.pk}/").content.decode()
    assert "wedi'i dileu" in page
