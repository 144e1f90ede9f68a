"""No server error in the admin, and nothing shown there that the person could not open: restoring an earlier state of
a published version, "View on site" for any content type and id, and a declaration's reference to an editor."""

import pytest
from django.contrib.contenttypes.models import ContentType

from assessments.models import Acknowledgement
from assessments.services import acknowledge, start_attempt, submit_attempt
from guidance.models import GuidanceVersion
from guidance.services import start_draft

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_restoring_an_earlier_state_of_a_published_version_is_refused_with_a_message(client, editor, content):
    client.raise_request_exception = False
    client.force_login(editor)
    earliest = content.history.order_by("history_id").first()  # the draft it was before it was published
    url = f"/en/admin/guidance/guidanceversion/{content.pk}/history/{earliest.history_id}/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # no "Revert" button
    response = client.post(
        url, {"change_summary_en": "Rewritten", "change_summary_cy": "Wedi'i ailysgrifennu"}, follow=True
    )
    assert response.status_code == 200
    assert "A published version cannot be changed. Start a new draft instead." in response.content.decode()
    content.refresh_from_db()
    assert content.is_published and content.change_summary_en.startswith("First version")
    assert client.get(f"/en/admin/guidance/guidanceversion/{content.pk}/history/x/").status_code == 404


def test_an_earlier_state_of_a_draft_can_still_be_restored(client, editor, content):
    client.force_login(editor)
    draft = start_draft()
    draft.change_summary_en = "First try."
    draft.save()
    first = draft.history.order_by("-history_id").first()
    draft.change_summary_en = "Second try."
    draft.save()
    url = f"/en/admin/guidance/guidanceversion/{draft.pk}/history/{first.history_id}/"
    response = client.post(url, {"change_summary_en": "First try.", "change_summary_cy": ""})
    assert response.status_code == 302
    assert GuidanceVersion.objects.get(pk=draft.pk).change_summary_en == "First try."


def test_view_on_site_never_fails_and_answers_only_for_what_the_person_may_view(
    client, editor, hr, content, cycle, staff
):
    client.raise_request_exception = False
    attempt = start_attempt(user=staff, cycle=cycle, language="en")
    answer_all(attempt, staff, correct=6)
    submit_attempt(user=staff, attempt_id=attempt.pk, language="en")
    record, _created = acknowledge(user=staff, cycle=cycle, version=content, language="en")
    declarations = ContentType.objects.get_for_model(Acknowledgement)

    client.force_login(editor)
    for content_type in ContentType.objects.all():  # every model, with ids of every kind it might be given
        for object_id in (1, record.pk, "x", "00000000-0000-0000-0000-000000000000"):
            response = client.get(f"/en/admin/r/{content_type.pk}/{object_id}/")
            assert response.status_code in (302, 404), (content_type, object_id, response.status_code)
            assert record.reference not in response.get("Location", ""), content_type
    assert client.get(f"/en/admin/r/{declarations.pk}/{record.pk}/").status_code == 404
    guidance = client.get(f"/en/admin/r/{ContentType.objects.get_for_model(GuidanceVersion).pk}/{content.pk}/")
    assert guidance["Location"].endswith("/en/guidance/version/1/")  # an editor's own "View on site" still works

    client.force_login(UserFactory(is_staff=True, is_superuser=True))  # who may view declarations in the admin
    response = client.get(f"/en/admin/r/{declarations.pk}/{record.pk}/")
    assert response.status_code == 302 and record.reference in response["Location"]
