import pytest

from guidance.models import GuidanceVersion

pytestmark = pytest.mark.django_db


def test_editor_starts_edits_and_publishes_a_new_version_in_the_admin(client, editor, content):
    client.force_login(editor)
    assert client.get("/en/admin/guidance/guidanceversion/").status_code == 200
    response = client.post("/en/admin/guidance/guidanceversion/new-draft/")
    draft = GuidanceVersion.objects.get(number=2)
    assert response["Location"] == f"/en/admin/guidance/guidanceversion/{draft.pk}/change/"
    page = client.get(response["Location"]).content.decode()
    assert "Publish this version" in page
    draft.change_summary_en = "Clarified security."
    draft.change_summary_cy = "Eglurhad am ddiogelwch."
    draft.save()
    client.post(f"/en/admin/guidance/guidanceversion/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.is_published


def test_published_versions_are_read_only_in_the_admin(client, editor, content):
    client.force_login(editor)
    page = client.get(f"/en/admin/guidance/guidanceversion/{content.pk}/change/").content.decode()
    assert "Publish this version" not in page
    assert 'name="_save"' not in page


def test_change_history_is_kept(content):
    from guidance.services import start_draft

    draft = start_draft()
    draft.change_summary_en = "Edited"
    draft.save()
    assert draft.history.count() >= 2
