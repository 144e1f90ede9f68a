"""The accessibility statement and privacy notice: both languages, signed out, in every footer, editable with the
Welsh-parity gate."""

import pytest
from django.utils.html import escape

from legal.models import LegalPage
from legal.services import load_legal_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db):
    return load_legal_pages()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/en/accessibility/",
            ["Accessibility statement", "Public Sector Bodies", "axe-core", "320 pixels", "keyboard"],
        ),
        (
            "/cy/hygyrchedd/",
            ["Datganiad hygyrchedd", "Rheoliadau Hygyrchedd Cyrff Sector Cyhoeddus", "axe-core", "320 picsel"],
        ),
        ("/en/privacy/", ["Privacy notice", "Article 13", "DataProtectionOfficer@gov.wales", "How long we keep"]),
        (
            "/cy/preifatrwydd/",
            ["Hysbysiad preifatrwydd", "Erthygl 13", "DataProtectionOfficer@gov.wales", "Am ba hyd rydym"],
        ),
    ],
)
def test_the_pages_read_signed_out_in_both_languages(client, pages, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert escape(text) in page or text in page, text


def test_the_privacy_notice_lists_what_your_data_shows_and_the_retention_periods(client, pages, staff):
    page = client.get("/en/privacy/").content.decode()
    for held in ("staff number", "line manager", "start date", "declarations", "answers you chose", "exempted"):
        assert held in page, held
    assert "<table" in page and "Your answers to the scenario questions" in page


@pytest.mark.parametrize(
    ("url", "links"),
    [
        ("/en/sign-in/", ("/en/accessibility/", "/en/privacy/")),
        ("/cy/mewngofnodi/", ("/cy/hygyrchedd/", "/cy/preifatrwydd/")),
    ],
)
def test_every_page_links_to_both_from_its_footer_signed_out(client, pages, url, links):
    page = client.get(url).content.decode()
    footer = page[page.index("govuk-footer") :]
    for link in links:
        assert f'href="{link}"' in footer


def test_signed_in_pages_link_to_both_from_the_footer(client, pages, staff, cycle):
    client.force_login(staff)
    for url in ("/en/", "/en/your-data/", "/en/guidance/"):
        footer = client.get(url).content.decode().split("govuk-footer", 1)[1]
        assert 'href="/en/accessibility/"' in footer and 'href="/en/privacy/"' in footer, url


def _admin_post(client, page, **changes):
    data = {"title_en": page.title_en, "title_cy": page.title_cy, "body_en": page.body_en, "body_cy": page.body_cy}
    data.update(changes)
    return client.post(f"/en/admin/legal/legalpage/{page.pk}/change/", data)


def test_editors_change_the_text_only_with_welsh_that_differs_from_the_english(client, pages, editor):
    page = LegalPage.objects.get(kind="accessibility")
    client.force_login(editor)
    refused = _admin_post(client, page, body_en="New English text.", body_cy="New English text.")
    assert refused.status_code == 200
    assert "Add the Welsh: this is the same as the English" in refused.content.decode()
    refused = _admin_post(client, page, title_cy="  ")
    assert "Add the Welsh: this field is empty" in refused.content.decode()
    page.refresh_from_db()
    assert "New English text." not in page.body_en
    saved = _admin_post(client, page, body_en="New English text.", body_cy="Testun Cymraeg newydd.")
    assert saved.status_code == 302
    page.refresh_from_db()
    assert page.body_cy == "Testun Cymraeg newydd."
    assert page.history.count() == 2
    assert "Testun Cymraeg newydd." in client.get("/cy/hygyrchedd/").content.decode()


def test_loading_again_never_overwrites_an_editors_change(pages):
    LegalPage.objects.filter(kind="privacy").update(body_en="Edited", body_cy="Golygwyd")
    load_legal_pages()
    assert LegalPage.objects.get(kind="privacy").body_cy == "Golygwyd"


def test_staff_and_hr_cannot_change_the_pages(client, pages, staff, hr):
    page = LegalPage.objects.get(kind="privacy")
    for person in (staff, hr):
        client.force_login(person)
        _admin_post(client, page, body_en="Hacked", body_cy="Wedi'i hacio")
    page.refresh_from_db()
    assert page.body_en != "Hacked"


def test_the_retention_periods_are_the_ones_the_clean_up_commands_use(client, pages, settings):
    page = client.get("/en/privacy/").content.decode()
    assert "6 years after you made them, then removed." in page and "3 years, then the answers are removed" in page
    settings.RETENTION_ANSWER_YEARS = 2
    assert "2 years, then the answers are removed" in client.get("/en/privacy/").content.decode()
    assert "2 flynedd" in client.get("/cy/preifatrwydd/").content.decode()


def test_purge_old_attempts_defaults_to_the_period_in_the_notice(settings, capsys):
    from django.core.management import call_command

    settings.RETENTION_ANSWER_YEARS = 4
    from datetime import timedelta

    from django.utils import timezone

    call_command("purge_old_attempts", "--dry-run")
    cutoff = timezone.now() - timedelta(days=365 * 4)
    assert f"from before {cutoff:%Y-%m-%d}" in capsys.readouterr().out


def test_apply_retention_defaults_to_the_period_in_the_notice(settings, capsys):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.RETENTION_DECLARATION_YEARS = 7
    call_command("apply_retention", "--dry-run")
    cutoff = timezone.now() - timedelta(days=365 * 7)
    assert f"from before {cutoff:%Y-%m-%d}" in capsys.readouterr().out
