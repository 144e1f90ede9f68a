import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from config.demo import create_demo_data
from portal.models import User

pytestmark = pytest.mark.django_db


def test_every_page_sends_an_anonymous_person_to_sign_in(client, content, cycle):
    for url in ["/en/", "/cy/", "/en/guidance/", "/cy/canllawiau/", "/en/quiz/", "/en/hr/", "/en/your-record/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/sign-in/" in response["Location"] or "/mewngofnodi/" in response["Location"], url


def test_sign_in_page_and_health_check_are_open(client):
    assert client.get("/en/sign-in/").status_code == 200
    assert client.get("/cy/mewngofnodi/").status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_signing_in_lands_on_the_home_page_in_the_preferred_language(client, welsh_staff, cycle):
    response = client.post("/en/sign-in/", {"username": welsh_staff.username, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == "/cy/"


def test_wrong_password_shows_the_error_summary_in_welsh(client, staff):
    response = client.post("/cy/mewngofnodi/", {"username": staff.username, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mae problem wedi codi" in html
    assert "<title>Gwall:" in html


def test_empty_sign_in_form_names_each_missing_field(client):
    response = client.post("/en/sign-in/", {"username": "", "password": ""})
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter your username" in html
    assert "Enter your password" in html


def test_sign_out_is_post_only(client, staff):
    client.force_login(staff)
    assert client.get("/en/sign-out/").status_code == 405
    response = client.post("/en/sign-out/")
    assert response.status_code == 302
    assert client.get("/en/").status_code == 302


def test_root_sends_a_signed_in_person_to_their_language(client, welsh_staff):
    client.force_login(welsh_staff)
    assert client.get("/")["Location"] == "/cy/"


def test_root_uses_the_browser_language_for_anonymous_visitors(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="cy")["Location"] == "/cy/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Location"] == "/en/"


def test_repeated_failures_lock_the_account_with_a_clear_message(client, staff):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/en/sign-in/", {"username": staff.username, "password": "wrong"})
    response = client.post("/cy/mewngofnodi/", {"username": staff.username, "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Rydych wedi cael eich cloi allan" in response.content.decode()


@override_settings(DEBUG=False)
def test_demo_accounts_are_never_created_with_debug_off():
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    call_command("setup_portal")
    assert not User.objects.filter(username__startswith="demo.").exists()
    with pytest.raises(ImproperlyConfigured):
        create_demo_data()


@override_settings(DEBUG=True)
def test_demo_accounts_can_sign_in_and_welsh_one_lands_on_cy(client, content):
    create_demo_data()
    create_demo_data()  # safe to repeat
    assert User.objects.filter(username__startswith="demo.").count() == 5
    staff = User.objects.get(username="demo.staff")
    assert staff.line_manager.username == "demo.manager"
    assert User.objects.get(username="demo.hr").is_hr
    assert User.objects.get(username="demo.editor").is_editor
    response = client.post(reverse("portal:sign-in"), {"username": "demo.staff.cy", "password": "portal-demo"})
    assert response["Location"] == "/cy/"


def test_an_idle_session_ends(client, staff, settings):
    import time

    client.force_login(staff)
    assert client.get("/en/your-data/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/en/your-data/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_every_field_with_a_message_is_styled_as_an_error(client):
    html = client.post("/en/sign-in/", {"username": "", "password": ""}).content.decode()
    for name in ("username", "password"):
        field = re.search(rf'<input type="\w+" name="{name}"[^>]*>', html).group(0)
        assert "govuk-input--error" in field, f"the {name} field has a message but is not styled as errored"
        assert 'aria-invalid="true"' in field
    assert html.count("govuk-form-group--error") == 2
