"""The printable record: a one-page PDF in the person's language with the other below, read back with pypdf."""

import io

import pytest
from django.test import override_settings
from pypdf import PdfReader

from assessments.models import Acknowledgement

from ..reporting.conftest import complete

pytestmark = pytest.mark.django_db


def pdf_text(response) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(response.content))
    return len(reader.pages), " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@override_settings(PORTAL_BASE_URL="https://portal.example.gov.wales")
@pytest.mark.parametrize(
    ("language", "first", "second"),
    [
        ("en", "Record of your declaration", "Cofnod o'ch datganiad"),
        ("cy", "Cofnod o'ch datganiad", "Record of your declaration"),
    ],
)
def test_the_record_pdf_has_every_detail_in_both_languages(client, content, cycle, language, first, second):
    from tests.factories import UserFactory

    person = UserFactory(first_name="Siân", last_name="Ŵyn", staff_number="00123", preferred_language=language)
    complete(person, cycle, content)
    record = Acknowledgement.objects.get(user=person)
    client.force_login(person)
    response = client.get(f"/{language}/{'declaration' if language == 'en' else 'datganiad'}/{record.reference}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{record.reference}.pdf"' in response["Content-Disposition"]
    pages, text = pdf_text(response)
    assert pages == 1
    assert text.index(first) < text.index(second)  # the person's language first, the other below
    halves = text.split(second)
    for half in halves:
        for part in (record.reference, "Siân Ŵyn", "00123", record.cycle.name, record.content_sha256[:32]):
            assert part in half, part
    assert "Welsh Government" in text and "Llywodraeth Cymru" in text
    assert "You scored 6 out of 6" in text and "Rydych wedi sgorio 6 allan o 6" in text
    assert "I confirm that I have read and understood the guidance on using social and digital media, version 1" in text
    assert "Rwy'n cadarnhau fy mod wedi darllen ac wedi deall" in text
    time = record.created_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/London")).strftime("%H:%M")
    assert text.count(time) == 2  # 24-hour time in both languages
    assert f"https://portal.example.gov.wales/en/declaration/{record.reference}/" in text
    assert f"https://portal.example.gov.wales/cy/datganiad/{record.reference}/" in text


def test_the_confirmation_page_and_your_record_link_to_the_pdf(client, content, cycle, staff):
    complete(staff, cycle, content)
    record = Acknowledgement.objects.get(user=staff)
    client.force_login(staff)
    link = f"/en/declaration/{record.reference}/pdf/"
    assert link in client.get(f"/en/declaration/{record.reference}/").content.decode()
    assert link in client.get("/en/your-record/").content.decode()


def test_someone_elses_record_pdf_is_not_found(client, content, cycle, staff, hr):
    complete(staff, cycle, content)
    record = Acknowledgement.objects.get(user=staff)
    client.force_login(hr)
    assert client.get(f"/en/declaration/{record.reference}/pdf/").status_code == 404


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Record of your declaration {reference} – Social media guidance"),
        ("cy", "Cofnod o'ch datganiad {reference} – Canllawiau cyfryngau cymdeithasol"),
    ],
)
def test_the_record_pdf_is_tagged_with_its_full_title_and_language(client, content, cycle, language, title):
    """PDF/UA: a screen reader gets the structure, announces the whole title and reads in the right language."""
    from tests.factories import UserFactory

    person = UserFactory(preferred_language=language)
    complete(person, cycle, content)
    record = Acknowledgement.objects.get(user=person)
    client.force_login(person)
    response = client.get(f"/{language}/{'declaration' if language == 'en' else 'datganiad'}/{record.reference}/pdf/")
    reader = PdfReader(io.BytesIO(response.content))
    catalogue = reader.trailer["/Root"]
    assert bool(catalogue["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalogue
    assert catalogue["/Lang"] == language
    assert reader.metadata.title == title.format(reference=record.reference)
    assert b"pdfuaid" in catalogue["/Metadata"].get_object().get_data()  # declares PDF/UA conformance
