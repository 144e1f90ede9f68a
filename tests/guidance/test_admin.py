import re

import pytest

from guidance.models import GuidanceVersion, Section
from guidance.services import start_draft

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/guidance/guidanceversion/"


def change_url(version):
    return f"{CHANGELIST}{version.pk}/change/"


UNDERSTOOD = {"consequence_understood": "yes"}  # the box the editor ticks under "What publishing will do"


def publish_url(version):
    return f"{CHANGELIST}{version.pk}/publish/"


def with_summaries(draft, english="Clarified security.", welsh="Eglurhad am ddiogelwch."):
    draft.change_summary_en, draft.change_summary_cy = english, welsh
    draft.save()
    return draft


def inline_data(version, changes=None):
    """The change form's POST data as the admin would send it, with some section fields changed by order."""
    sections = list(version.sections.order_by("order"))
    data = {
        "requires_reacknowledgement": "on" if version.requires_reacknowledgement else "",
        "change_summary_en": version.change_summary_en,
        "change_summary_cy": version.change_summary_cy,
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "_continue": "Save and continue editing",
    }
    for index, section in enumerate(sections):
        prefix = f"sections-{index}-"
        values = {
            "id": section.pk,
            "version": version.pk,
            "order": section.order,
            "principle": section.principle_id or "",
            "slug_en": section.slug_en,
            "slug_cy": section.slug_cy,
            "title_en": section.title_en,
            "title_cy": section.title_cy,
            "body_en": section.body_en,
            "body_cy": section.body_cy,
        }
        values.update((changes or {}).get(section.order, {}))
        data.update({prefix + key: value for key, value in values.items() if value is not None})
    return data


def test_editor_starts_a_draft_sees_what_will_change_and_publishes(client, editor, content):
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 200
    response = client.post(f"{CHANGELIST}new-draft/")
    draft = GuidanceVersion.objects.get(number=2)
    assert response["Location"] == change_url(draft)
    page = client.get(change_url(draft)).content.decode()
    assert f'<a href="{publish_url(draft)}" class="app-admin-publish">Publish</a>' in page
    with_summaries(draft)
    security = draft.sections.get(slug_en="security")
    security.body_en = security.body_en.replace("a strong password", "a long, unique password")
    security.body_cy = security.body_cy.replace("gyfrinair cryf", "gyfrinair hir, unigryw")
    security.save()
    confirmation = client.get(publish_url(draft)).content.decode()
    draft.refresh_from_db()
    assert not draft.is_published  # looking at the confirmation publishes nothing
    assert "Check what will change for staff when version 2 replaces version 1." in confirmation
    assert '<span class="govuk-visually-hidden">Added: </span>long, unique' in confirmation
    assert '<span class="govuk-visually-hidden">Ychwanegwyd: </span>hir, unigryw' in confirmation  # the Welsh, too
    assert "Clarified security." in confirmation and "Eglurhad am ddiogelwch." in confirmation
    assert 'value="Publish version 2"' in confirmation
    response = client.post(publish_url(draft), UNDERSTOOD)
    assert response["Location"] == CHANGELIST
    draft.refresh_from_db()
    assert draft.is_published


def test_a_refused_publish_shows_each_problem_once(client, editor, content):
    client.force_login(editor)
    draft = start_draft()
    accuracy = draft.sections.get(slug_en="accuracy")
    accuracy.body_cy = ""
    accuracy.save()
    response = client.post(publish_url(draft), UNDERSTOOD, follow=True)
    page = response.content.decode()
    assert response.status_code == 400
    problem = "Section 6 “Accuracy”: text (Welsh) is empty"
    assert page.count(problem) == 1
    assert page.count("What changed (English) is empty") == 1
    assert page.count("What changed (Welsh) is empty") == 1
    assert 'class="messagelist"' not in page  # no red bars repeating the box
    assert 'value="Publish version' not in page
    draft.refresh_from_db()
    assert not draft.is_published
    change_page = client.get(change_url(draft)).content.decode()
    assert change_page.count(problem) == 1


def test_what_changed_is_required_in_both_languages(client, editor, content):
    client.force_login(editor)
    draft = with_summaries(start_draft(), english="Clarified security.", welsh="")
    client.post(publish_url(draft), UNDERSTOOD)
    draft.refresh_from_db()
    assert not draft.is_published
    with_summaries(draft, english="", welsh="Eglurhad am ddiogelwch.")
    page = client.post(publish_url(draft), UNDERSTOOD).content.decode()
    assert "What changed (English) is empty" in page
    draft.refresh_from_db()
    assert not draft.is_published


def test_changing_only_the_english_flags_the_welsh_for_review_until_an_editor_marks_it(client, editor, content):
    client.force_login(editor)
    draft = with_summaries(start_draft())
    security = draft.sections.get(slug_en="security")
    new_english = security.body_en.replace("a strong password", "a long, unique password")
    response = client.post(change_url(draft), inline_data(draft, {security.order: {"body_en": new_english}}))
    assert response.status_code == 302, response.content.decode()[:3000]
    problem = "Section 9 “Security”: the English changed since version 1 but the Welsh did not."
    change_page = client.get(change_url(draft)).content.decode()
    assert change_page.count(problem) == 1
    assert re.search(r'<input type="checkbox" name="sections-8-welsh_reviewed"', change_page)
    refused = client.post(publish_url(draft), UNDERSTOOD)
    assert refused.status_code == 400 and problem in refused.content.decode()

    # A Welsh speaker checks the Welsh and ticks "Welsh reviewed".
    reviewed = inline_data(draft, {security.order: {"welsh_reviewed": "on"}})
    assert client.post(change_url(draft), reviewed).status_code == 302
    assert problem not in client.get(change_url(draft)).content.decode()

    # The English changes again: the review was of other words, so the flag is back.
    again = security.body_en.replace("a strong password", "a long password")
    client.post(change_url(draft), inline_data(draft, {security.order: {"body_en": again}}))
    assert problem in client.get(change_url(draft)).content.decode()
    assert not Section.objects.get(pk=security.pk).welsh_reviewed_sha256

    client.post(change_url(draft), inline_data(draft, {security.order: {"welsh_reviewed": "on"}}))
    assert client.post(publish_url(draft), UNDERSTOOD)["Location"] == CHANGELIST
    draft.refresh_from_db()
    assert draft.is_published


def test_changing_the_english_and_the_welsh_together_needs_no_separate_review(client, editor, content):
    client.force_login(editor)
    draft = with_summaries(start_draft())
    security = draft.sections.get(slug_en="security")
    security.body_en += "\n\nNever share your password."
    security.body_cy += "\n\nPeidiwch byth â rhannu eich cyfrinair."
    security.save()
    assert client.post(publish_url(draft), UNDERSTOOD)["Location"] == CHANGELIST


def test_only_editors_reach_the_publish_page(client, staff, hr, content):
    draft = with_summaries(start_draft())
    for person in (staff, hr, UserFactory(is_staff=True)):
        client.force_login(person)
        response = client.post(publish_url(draft), UNDERSTOOD)
        assert response.status_code in (302, 403), person
        draft.refresh_from_db()
        assert not draft.is_published
    client.logout()
    assert client.get(publish_url(draft)).status_code == 302


def test_published_versions_are_read_only_in_the_admin(client, editor, content):
    client.force_login(editor)
    page = client.get(change_url(content)).content.decode()
    assert "app-admin-publish" not in page
    assert 'name="_save"' not in page
    assert client.post(publish_url(content))["Location"] == CHANGELIST


def test_change_history_is_kept(content):
    draft = start_draft()
    draft.change_summary_en = "Edited"
    draft.save()
    assert draft.history.count() >= 2
