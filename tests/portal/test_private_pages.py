"""Signed-in pages and downloads are never cached; pages refused before the views still refuse framing."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/en/", "/cy/", "/en/your-record/", "/en/your-data/", "/en/guidance/"])
def test_signed_in_pages_are_private_and_not_stored(client, staff, content, cycle, path):
    client.force_login(staff)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_downloads_are_private_and_not_stored(client, hr, content, cycle):
    client.force_login(hr)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/en/hr/download/?cycle={cycle.pk}&format={fmt}")
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_a_bad_host_page_refuses_framing(client):
    response = client.get("/en/sign-in/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["X-Frame-Options"] == "DENY"


def test_a_too_large_request_page_refuses_framing(client, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 1024
    response = client.post("/en/sign-in/", data=b"x" * (200 * 1024), content_type="application/octet-stream")
    assert response.status_code == 413
    assert response["X-Frame-Options"] == "DENY"
