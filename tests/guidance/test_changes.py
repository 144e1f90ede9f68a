"""'What changed': staff see it when a new major version asks them to confirm again; editors before they publish."""

import re

import pytest
from django.utils import translation
from django.utils.html import escape

from assessments.services import acknowledge
from guidance.comparison import CHANGED, UNCHANGED, compare_versions, mark_up, plain_text
from guidance.models import GuidanceVersion
from guidance.services import publish_version, start_draft

from ..reporting.conftest import complete

pytestmark = pytest.mark.django_db

OLD_EN = (
    "Protect your social media account: use a strong password and turn on two-step verification where it is available."
)
NEW_EN = "Protect your social media account: use a long, unique password and turn on two-step verification."
NEW_CY = (
    "Diogelwch eich cyfrif cyfryngau cymdeithasol: defnyddiwch gyfrinair hir, unigryw a throwch ddilysu dau gam ymlaen."
)


def security_rewritten(*, major=True, publish=True):
    """Version 2: the Security principle's advice rewritten in both languages, every other section as it was."""
    draft = start_draft()
    security = draft.sections.get(slug_en="security")
    security.body_en = security.body_en.replace(OLD_EN, NEW_EN)
    old_cy = next(line for line in security.body_cy.split("\n") if line.startswith("Gwnewch yn siŵr fod eich cyfrif"))
    security.body_cy = security.body_cy.replace(old_cy, NEW_CY)
    security.save()
    draft.requires_reacknowledgement = major
    draft.change_summary_en = "The Security principle now asks for long, unique passwords."
    draft.change_summary_cy = "Mae'r egwyddor Diogelwch bellach yn gofyn am gyfrineiriau hir, unigryw."
    draft.save()
    return publish_version(version=draft) if publish else draft


def test_mark_up_names_each_addition_and_removal_for_screen_readers():
    html = mark_up("use a strong password", "use a long, unique password")
    assert '<del class="app-diff__del"><span class="govuk-visually-hidden">Removed: </span>strong' in html
    assert '<ins class="app-diff__ins"><span class="govuk-visually-hidden">Added: </span>long, unique' in html
    escaped = mark_up("<b> one", "<b> two")
    assert escaped.startswith("&lt;b&gt; <del")  # the text is escaped: an editor's text never becomes markup
    assert 'Removed: </span>one<span class="govuk-visually-hidden"> (end of removal)</span></del>' in escaped


def test_plain_text_drops_markdown_markers_and_keeps_link_addresses():
    assert (
        plain_text("## Heading\n\n- item [Code](https://example.org)") == "Heading\n\n• item Code (https://example.org)"
    )


def test_a_comparison_lists_changed_and_unchanged_sections(content):
    version = security_rewritten()
    comparison = compare_versions(old=content, new=version, language="en")
    assert [change.title for change in comparison.changed] == ["Security"]
    assert comparison.changed[0].status == CHANGED
    assert len(comparison.unchanged) == version.sections.count() - 1
    assert all(change.status == UNCHANGED for change in comparison.unchanged)
    welsh = compare_versions(old=content, new=version, language="cy")
    assert [change.title for change in welsh.changed] == ["Diogelwch"]
    assert "hir, unigryw" in welsh.changed[0].marked_up


@pytest.fixture
def confirmed_version_1(staff, welsh_staff, cycle, content):
    for person in (staff, welsh_staff):
        complete(person, cycle, content)
    return content


def test_home_page_shows_what_changed_since_the_version_confirmed(client, staff, cycle, confirmed_version_1):
    security_rewritten()
    client.force_login(staff)
    home = client.get("/en/").content.decode()
    assert "Confirm again" in home
    assert "The Security principle now asks for long, unique passwords." in home
    assert "Sections changed since version 1:" in home
    assert re.search(r"<li>Security</li>", home)
    assert 'href="/en/guidance/what-changed/"' in home


def test_the_changes_page_marks_up_old_and_new_text_in_english(client, staff, cycle, confirmed_version_1):
    security_rewritten()
    client.force_login(staff)
    page = client.get("/en/guidance/what-changed/").content.decode()
    assert "Changes since version 1, which you confirmed, in version 2." in page
    assert "The Security principle now asks for long, unique passwords." in page
    assert '<span class="govuk-visually-hidden">Removed: </span>strong' in page
    assert '<span class="govuk-visually-hidden">Added: </span>long, unique' in page
    assert "words added are underlined and words removed are struck through" in page
    unchanged = page.split("Sections that have not changed")[1]
    assert "<li>Introduction</li>" in unchanged and "Security" not in unchanged
    assert 'href="/en/guidance/principles/security/"' in page


def test_the_changes_page_is_in_welsh_for_welsh_readers(client, welsh_staff, cycle, confirmed_version_1):
    security_rewritten()
    client.force_login(welsh_staff)
    home = client.get("/cy/").content.decode()
    assert escape("Mae'r egwyddor Diogelwch bellach yn gofyn am gyfrineiriau hir, unigryw.") in home
    assert "<li>Diogelwch</li>" in home
    page = client.get("/cy/canllawiau/beth-sydd-wedi-newid/").content.decode()
    with translation.override("cy"):
        removed, added = translation.gettext("Removed:"), translation.gettext("Added:")
    assert removed != "Removed:" and added != "Added:"
    assert f'<span class="govuk-visually-hidden">{added} </span>' in page
    assert "hir, unigryw" in page
    assert "<li>Cyflwyniad</li>" in page.split("Adrannau sydd heb newid")[1]


def test_the_guidance_contents_say_the_guidance_changed_since_you_confirmed(client, staff, cycle, confirmed_version_1):
    client.force_login(staff)
    assert "See what changed since version" not in client.get("/en/guidance/").content.decode()
    security_rewritten(major=False)
    contents = client.get("/en/guidance/").content.decode()
    assert "The guidance has changed since you confirmed version 1." in contents
    assert "See what changed since version 1" in contents


def test_someone_who_confirmed_the_current_version_is_told_nothing_changed(client, staff, cycle, content):
    acknowledge_after_pass(staff, cycle, content)
    client.force_login(staff)
    page = client.get("/en/guidance/what-changed/").content.decode()
    assert "This is the first version of the guidance." in page


def acknowledge_after_pass(person, cycle, version):
    complete(person, cycle, version)
    return acknowledge


def test_each_version_shows_what_it_changed(client, staff, content):
    security_rewritten()
    client.force_login(staff)
    page = client.get("/en/guidance/version/2/changes/").content.decode()
    assert "Changes from version 1 to version 2." in page
    assert "long, unique" in page
    assert GuidanceVersion.objects.get(number=2).is_published


def test_a_text_saved_from_a_browser_with_crlf_line_breaks_is_unchanged(content):
    draft = start_draft()
    for section in draft.sections.all():
        section.body_en, section.body_cy = section.body_en.replace("\n", "\r\n"), section.body_cy.replace("\n", "\r\n")
        section.save()
    assert compare_versions(old=content, new=draft, language="cy").changed == []
    assert compare_versions(old=content, new=draft, language="en").changed == []


def test_the_admin_names_a_version_by_number_and_state_and_links_it_and_its_principles_to_their_pages(content):
    principle = content.sections.filter(principle__isnull=False).first().principle
    with translation.override("en"):
        assert str(content) == "Version 1 (Published)"
        assert content.get_absolute_url() == "/en/guidance/version/1/"
        assert principle.get_absolute_url() == f"/en/guidance/principles/{principle.slug}/"
    with translation.override("cy"):
        assert content.get_absolute_url().startswith("/cy/")
