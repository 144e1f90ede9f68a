"""Issue 26: the admin entirely in Welsh for a Welsh editor (history, counts, headings, the search icon) and each
field marked with its own language."""

import html
import re
from datetime import date

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation
from django.utils.formats import date_format

from assessments.models import Option, Question
from guidance.models import GuidanceVersion, Principle
from guidance.services import start_draft
from legal.models import LegalPage
from legal.services import load_legal_pages
from portal.admin_counts import COUNTS
from portal.welsh_corrections import apply_welsh_corrections

PORTAL_APPS = {"portal", "guidance", "assessments", "directory", "cycles", "legal", "xliff", "outbox", "evidence"}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_every_portal_model_in_the_admin_says_its_count_in_welsh():
    portal_models = {model._meta.label_lower for model in admin.site._registry if model._meta.app_label in PORTAL_APPS}
    assert portal_models - set(COUNTS) == set(), "add the model's count to portal/admin_counts.py"
    with translation.override("cy"):
        phrase = COUNTS["assessments.question"]
        assert [phrase % {"count": n} for n in (1, 2, 3, 8)] == [
            "1 cwestiwn senario",
            "2 gwestiwn senario",
            "3 o gwestiynau senario",
            "8 o gwestiynau senario",
        ]


@pytest.mark.django_db
def test_a_welsh_editor_reads_counts_with_welsh_plurals(client, editor, content):
    load_legal_pages()
    client.force_login(editor)
    questions = text_of(client.get("/cy/admin/assessments/question/"))
    assert "30 o gwestiynau senario" in questions and "30 cwestiynau" not in questions
    assert "2 dudalen gyfreithiol" in text_of(client.get("/cy/admin/legal/legalpage/"))
    assert "2 legal pages" in text_of(client.get("/en/admin/legal/legalpage/"))
    assert 'alt="Chwilio"' in client.get("/cy/admin/assessments/question/").content.decode()


@pytest.mark.django_db
def test_the_change_history_reads_in_welsh(client, editor, content):
    client.force_login(editor)
    version = GuidanceVersion.objects.get(number=1)
    page = text_of(client.get(f"/cy/admin/guidance/guidanceversion/{version.pk}/history/"))
    assert "Statws: Drafft → Wedi'i chyhoeddi" in page
    assert "draft" not in page and "published" not in page
    assert "None" not in page and "+00:00" not in page
    assert re.search(r"Cyhoeddwyd: Heb ei osod → \d+ \w+ 20\d\d, \d\d:\d\d", page)
    principle = Principle.objects.get(number=1)
    record = principle.history.earliest()
    revert = text_of(client.get(f"/cy/admin/guidance/principle/{principle.pk}/history/{record.pk}/"))
    breadcrumbs = re.search(r"Hafan .*? Adfer egwyddor", revert).group(0)
    assert "Canllawiau › Egwyddorion ›" in breadcrumbs
    assert "Historical" not in revert and "Guidance" not in breadcrumbs
    english = text_of(client.get(f"/en/admin/guidance/principle/{principle.pk}/history/{record.pk}/"))
    assert "Guidance › Principles ›" in english and "Historical" not in english


@pytest.mark.django_db
def test_each_field_is_marked_with_its_language(client, editor, content):
    client.force_login(editor)
    principle_pk = Principle.objects.get(number=1).pk  # ids are not reused on PostgreSQL
    for language in ("cy", "en"):
        principle = client.get(f"/{language}/admin/guidance/principle/{principle_pk}/change/").content.decode()
        assert re.search(
            r'<textarea[^>]*name="summary_cy"[^>]*lang="cy"|<textarea[^>]*lang="cy"[^>]*name="summary_cy"', principle
        )
        assert re.search(r'<input[^>]*name="name_en"[^>]*lang="en"|<input[^>]*lang="en"[^>]*name="name_en"', principle)
        assert not re.search(r'<input[^>]*name="number"[^>]*lang=', principle)
    question = Question.objects.first()
    page = client.get(f"/cy/admin/assessments/question/{question.pk}/change/").content.decode()
    assert re.search(r'<textarea[^>]*name="options-0-feedback_cy"[^>]*lang="cy"', page)
    version_pk = GuidanceVersion.objects.get(number=1).pk
    published = client.get(
        f"/cy/admin/guidance/guidanceversion/{version_pk}/change/"
    ).content.decode()  # read-only text
    assert re.search(r'<div class="readonly" lang="cy">', published)


@pytest.mark.django_db
def test_answer_option_headings_use_the_pages_language_and_whole_words(client, editor, content):
    client.force_login(editor)
    question = Question.objects.get(key="propriety-draft-policy-photo")
    option = question.options.first()
    page = client.get(f"/cy/admin/assessments/question/{question.pk}/change/").content.decode()
    labels = [html.unescape(label) for label in re.findall(r'<span class="inline_label">(.*?)</span>', page, re.DOTALL)]
    assert any(label.startswith(" ".join(option.text_cy.split()[:4])) for label in labels), labels
    assert not any(label.startswith(option.text_en[:20]) for label in labels)
    with translation.override("cy"):
        heading = str(option)
    assert "Ychwanegu un arall: Opsiwn ateb" in page  # never "Ychwanegu Opsiwn ateb arall"
    assert heading == option.text_cy or heading.endswith("…")
    assert heading.removesuffix("…").split()[-1] in option.text_cy.split()  # the last word is whole


def test_chart_month_labels_use_the_calendars_abbreviations():
    with translation.override("cy"):
        labels = [date_format(date(2026, month, 1), "M") for month in range(1, 13)]
    assert labels == ["Ion", "Chwef", "Maw", "Ebr", "Mai", "Meh", "Gorff", "Awst", "Medi", "Hyd", "Tach", "Rhag"]


@pytest.mark.django_db
def test_setup_corrects_the_welsh_already_loaded_and_keeps_an_editors_changes(content):
    load_legal_pages()
    privacy = LegalPage.objects.get(kind="privacy")
    privacy.body_cy = privacy.body_cy.replace("eich ymgeisiau i ateb", "eich ymdrechion i ateb") + "\n\nNodyn golygydd."
    privacy.save()
    option = Option.objects.filter(text_cy__contains="Postiwch y stori, ond dangoswch hi").get()
    option.text_cy = "Postiwch y stori, ond dim ond i ffrindiau agos."
    option.save()
    assert apply_welsh_corrections() == 2
    privacy.refresh_from_db()
    option.refresh_from_db()
    assert "eich ymgeisiau i ateb" in privacy.body_cy and privacy.body_cy.endswith("Nodyn golygydd.")
    assert option.text_cy == "Postiwch y stori, ond dangoswch hi i ffrindiau agos yn unig."
    assert apply_welsh_corrections() == 0
    assert apps.get_model("legal.legalpage").history.model.objects.filter(id=privacy.pk).count() >= 3


@pytest.mark.django_db
def test_a_draft_sections_fields_are_marked_too(client, editor, content):
    client.force_login(editor)
    draft = start_draft()
    page = client.get(f"/cy/admin/guidance/guidanceversion/{draft.pk}/change/").content.decode()
    assert re.search(r'<textarea[^>]*name="sections-0-body_cy"[^>]*lang="cy"', page)
    assert re.search(r'<textarea[^>]*name="sections-0-body_en"[^>]*lang="en"', page)


@pytest.mark.django_db
def test_list_filters_and_the_two_list_selector_read_naturally(client, editor, content):
    client.force_login(editor)
    page = text_of(client.get("/cy/admin/guidance/guidanceversion/"))
    assert "Yn ôl statws" in page and "Wrth " not in page
    catalogue = client.get("/cy/admin/jsi18n/").content.decode()
    # "pob" takes a singular and "y" is "yr" before a vowel: the plural name (%s, "adrannau") follows "o'r".
    assert '"Choose all %s": "Dewis pob un o\'r %s"' in catalogue
    assert '"Chosen %s": "%s a ddewiswyd"' in catalogue


@pytest.mark.django_db
def test_a_welsh_publish_problem_names_the_section_in_welsh(client, editor, content):
    client.force_login(editor)
    draft = start_draft()
    permanent = draft.sections.get(slug_en="permanent")
    permanent.body_en += "\n\nA new English sentence."
    permanent.save()
    welsh = text_of(client.get(f"/cy/admin/guidance/guidanceversion/{draft.pk}/publish/"))
    assert f"Adran {permanent.order} “Parhaol”" in welsh and "“Permanent”" not in welsh
    assert "Mae “Beth sydd wedi newid” (Cymraeg) yn wag" in welsh
    english = text_of(client.get(f"/en/admin/guidance/guidanceversion/{draft.pk}/publish/"))
    assert f"Section {permanent.order} “Permanent”" in english


@pytest.mark.django_db
def test_list_columns_in_one_language_are_marked_with_it(client, editor, content):
    load_legal_pages()
    client.force_login(editor)
    principles = client.get("/en/admin/guidance/principle/").content.decode()
    assert '<span lang="cy">Priodoldeb</span>' in principles and '<span lang="en">Propriety</span>' in principles
    legal = client.get("/cy/admin/legal/legalpage/").content.decode()
    assert '<span lang="cy">Datganiad hygyrchedd ar gyfer' in legal
