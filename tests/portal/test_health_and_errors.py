import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_404_page_uses_the_layout_in_welsh(client, staff):
    client.force_login(staff)
    response = client.get("/cy/dim-tudalen-fel-hon/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Heb ddod o hyd i'r dudalen" in html
    assert "Neidio i'r prif gynnwys" in html


def test_403_page_is_in_the_layout(client, staff, cycle):
    client.force_login(staff)
    response = client.get("/en/hr/")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_security_headers_are_sent(client):
    response = client.get("/en/sign-in/", secure=True)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_pages_have_no_inline_script(client, staff, content, cycle):
    client.force_login(staff)
    html = client.get("/en/").content.decode()
    assert "<script>" not in html
    assert '<script type="module" src="/static/js/portal.js"></script>' in html
