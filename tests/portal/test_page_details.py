"""Details a person notices: pages that share a subject have their own titles and captions; a version page says
whether it is the current guidance; an editor previewing a draft can go back to it."""

import re

import pytest

from guidance.services import start_draft

from ..factories import DepartmentFactory, UserFactory
from ..guidance.test_changes import security_rewritten
from ..reporting.conftest import complete

pytestmark = pytest.mark.django_db


def title_of(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1).strip()


@pytest.mark.parametrize(
    ("contents", "print_all"),
    [("/en/guidance/", "/en/guidance/print/"), ("/cy/canllawiau/", "/cy/canllawiau/argraffu/")],
)
def test_the_guidance_contents_and_print_pages_have_their_own_titles(client, staff, content, contents, print_all):
    client.force_login(staff)
    titles = {title_of(client.get(url).content.decode()) for url in (contents, print_all)}
    assert len(titles) == 2, titles


@pytest.mark.parametrize("url", ["/en/hr/", "/cy/ad/"])
def test_the_dashboard_tables_have_distinct_captions(client, hr, content, cycle, url):
    department = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    for _person in range(5):  # enough first attempts for the principles table to be shown
        complete(UserFactory(department=department), cycle, content)
    client.force_login(hr)
    page = client.get(url).content.decode()
    captions = re.findall(r"<caption[^>]*>(.*?)</caption>", page, re.DOTALL)
    assert "principle-rates" in page
    assert len(captions) >= 3 and len(set(captions)) == len(captions), captions


@pytest.mark.parametrize(
    ("url", "current", "link"),
    [
        ("/en/guidance/version/1/", "It is the current guidance.", "Read the current guidance"),
        ("/cy/canllawiau/fersiwn/1/", "Dyma'r canllawiau presennol.", "Darllen y canllawiau presennol"),
    ],
)
def test_a_version_page_says_whether_it_is_current(client, staff, content, url, current, link):
    client.force_login(staff)
    page = client.get(url).content.decode()
    assert current in page.replace("&#x27;", "'") and link not in page
    security_rewritten()
    page = client.get(url).content.decode()
    assert link in page and current not in page.replace("&#x27;", "'")
    section = client.get(url + ("introduction/" if "/en/" in url else "cyflwyniad/")).content.decode()
    assert link in section  # a section of the old version, too


def test_the_draft_preview_links_back_to_the_draft_in_the_admin(client, editor, content):
    client.force_login(editor)
    draft = start_draft()
    for url in ("/en/guidance/version/2/", "/en/guidance/version/2/introduction/", "/en/guidance/version/2/print/"):
        page = client.get(url).content.decode()
        assert f'href="/en/admin/guidance/guidanceversion/{draft.pk}/change/"' in page, url
        assert "Go back to draft version 2" in page


@pytest.mark.parametrize(
    ("url", "tested"),
    [
        ("/en/accessibility/", "The portal was last tested on 7 December 2026."),
        ("/cy/hygyrchedd/", "Profwyd y porth ddiwethaf ar 7 Rhagfyr 2026."),
    ],
)
def test_the_accessibility_statement_says_what_was_tested_and_when(client, url, tested):
    from legal.services import load_legal_pages

    load_legal_pages()
    page = client.get(url).content.decode().replace("&#x27;", "'")
    assert tested in page
    assert "They have not been checked" not in page and "Nid ydynt wedi cael eu gwirio" not in page
