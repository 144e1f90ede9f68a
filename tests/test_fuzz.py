"""Arbitrary input to every form and query parameter: never a server error, nothing half-saved."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Acknowledgement, Attempt
from directory.models import StaffImport
from portal.models import User

from .directory.helpers import GOOD

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
text = st.text(max_size=200)
values = st.one_of(
    text, st.integers().map(str), st.sampled_from(["", "0", "-1", "999999999999", "\x00", "' OR 1=1 --"])
)
form_data = st.dictionaries(
    st.sampled_from(["username", "password", "answer", "q", "file", "full", "next", "x"]), values, max_size=5
)


@FUZZ
@given(data=form_data)
def test_sign_in_never_fails(client, data):
    response = client.post("/en/sign-in/", data)
    assert response.status_code in (200, 302, 429)


# Single sign-on switched on, with a provider that is never reached: nothing here gets as far as asking it.
NOWHERE = "http://127.0.0.1:9"
SINGLE_SIGN_ON = override_settings(
    OIDC_ENABLED=True,
    OIDC_RP_CLIENT_ID="portal",
    OIDC_RP_CLIENT_SECRET="secret",
    OIDC_RP_SIGN_ALGO="RS256",
    OIDC_OP_AUTHORIZATION_ENDPOINT=f"{NOWHERE}/auth",
    OIDC_OP_TOKEN_ENDPOINT=f"{NOWHERE}/token",
    OIDC_OP_USER_ENDPOINT=f"{NOWHERE}/me",
    OIDC_OP_JWKS_ENDPOINT=f"{NOWHERE}/jwks",
    AUTHENTICATION_BACKENDS=[
        "axes.backends.AxesStandaloneBackend",
        "portal.oidc.DirectoryOIDCBackend",
        "portal.backends.StaffBackend",
    ],
)
callback_params = st.dictionaries(
    st.sampled_from(["code", "state", "error", "error_description", "next", "session_state"]), values, max_size=4
)


@FUZZ
@given(params=callback_params, started=st.booleans())
def test_single_sign_on_callback_never_fails_or_signs_anyone_in(client, params, started):
    with SINGLE_SIGN_ON:
        if started:  # a real state and nonce in the session, as after pressing the button
            assert client.get("/oidc/authenticate/", {"next": params.get("next", "")}).status_code == 302
        response = client.get("/oidc/callback/", params)
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]
        assert "_auth_user_id" not in client.session


@FUZZ
@given(language=st.sampled_from(["en", "cy", "xx", "EN", ""]), next_url=text)
def test_language_switch_never_fails(client, staff, language, next_url):
    client.force_login(staff)
    response = client.post(f"/language/{language}/" if language else "/language/cy/", {"next": next_url})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith("//")


@FUZZ
@given(data=form_data, position=st.integers(min_value=-3, max_value=12))
def test_quiz_answers_never_fail_or_change_the_score(client, staff, cycle, content, data, position):
    client.force_login(staff)
    client.post("/en/quiz/")
    attempt = Attempt.objects.get(user=staff, status="in_progress")
    if position >= 0:
        response = client.post(f"/en/quiz/{attempt.pk}/question/{position}/", data)
        assert response.status_code in (200, 302, 404)
    response = client.post(f"/en/quiz/{attempt.pk}/check-your-answers/", data)
    assert response.status_code in (200, 302)
    attempt.refresh_from_db()
    chosen = list(attempt.answers.exclude(chosen_option=None).values_list("chosen_option__question_id", "question_id"))
    assert all(option_question == question for option_question, question in chosen)


@FUZZ
@given(data=form_data)
def test_declaration_never_fails_or_records_without_a_pass(client, staff, cycle, content, data):
    client.force_login(staff)
    response = client.post("/en/declaration/", data)
    assert response.status_code in (200, 302)
    assert Acknowledgement.objects.count() == 0


# What a browser can send as an upload's name. Django refuses "", "." and ".." before any view runs (a test that
# made one would fail on its own set-up, and Hypothesis would replay it on every later run).
upload_names = (
    st.text(min_size=1, max_size=40)
    .map(lambda name: name.replace("/", "_").replace("\x00", ""))
    .filter(lambda name: name not in ("", ".", ".."))
)


@FUZZ
@given(name=upload_names)
def test_a_good_list_under_any_name_a_browser_can_send_is_taken_and_its_name_shown_as_text(client, hr, name):
    client.force_login(hr)
    upload = SimpleUploadedFile(f"{name}.csv", GOOD.encode(), content_type="text/csv")
    response = client.post("/en/hr/import/", {"file": upload})
    assert response.status_code == 302, name  # on to choosing the columns, whatever the file is called
    record = StaffImport.objects.filter(uploaded_by=hr).latest("pk")
    # The name as the browser's last path part: no folder from the sender's machine is kept.
    assert record.filename.endswith(".csv") and not {"/", "\\"} & set(record.filename)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert escape(record.filename) in page.content.decode()  # shown as text, never as markup


@FUZZ
@given(body=st.binary(max_size=2000), name=upload_names, full=st.booleans())
def test_import_upload_never_fails_or_half_saves(client, hr, body, name, full):
    client.force_login(hr)
    people = User.objects.count()
    upload = SimpleUploadedFile(name, body, content_type="text/csv")
    response = client.post("/en/hr/import/", {"file": upload, "full": "on" if full else ""})
    assert response.status_code in (200, 302)
    assert User.objects.count() == people  # the upload only previews; nothing is imported before confirming
    if response.status_code == 302:
        assert StaffImport.objects.filter(status="previewed").exists()


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "department", "status", "page", "cycle", "format", "outstanding"]), values, max_size=6
    )
)
def test_report_filters_and_pagination_never_fail(client, hr, cycle, params):
    client.force_login(hr)
    assert client.get("/en/hr/", params).status_code == 200
    assert client.get("/en/hr/staff/", params).status_code == 200
    download = client.get("/en/hr/download/", params)
    assert download.status_code in (200, 400)
