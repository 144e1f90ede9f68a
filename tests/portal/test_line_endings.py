"""Text keeps one line ending however it comes in (portal/text.py): an admin form a browser sends with CRLF, a staff
file saved on Windows, a SCIM client's names."""

import pytest

from directory.importing.reading import read_table
from directory.scim.people import department_named
from guidance.models import Principle
from legal.models import LegalPage
from legal.services import load_legal_pages

pytestmark = pytest.mark.django_db


def test_admin_forms_store_what_a_browser_sends_with_lf(client, editor, content):
    load_legal_pages()
    client.force_login(editor)
    page = LegalPage.objects.get(kind="accessibility")
    response = client.post(
        f"/en/admin/legal/legalpage/{page.pk}/change/",
        {
            "title_en": page.title_en,
            "title_cy": page.title_cy,
            "body_en": "First paragraph.\r\n\r\nSecond paragraph.",
            "body_cy": "Paragraff cyntaf.\r\n\r\nAil baragraff.",
        },
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.body_en, page.body_cy) == (
        "First paragraph.\n\nSecond paragraph.",
        "Paragraff cyntaf.\n\nAil baragraff.",
    )

    principle = Principle.objects.get(number=1)
    data = {field: getattr(principle, field) for field in ("number", "name_en", "name_cy", "slug_en", "slug_cy")}
    data.update(summary_en="Line one.\r\nLine two.", summary_cy="Llinell un.\rLlinell dau.")
    assert client.post(f"/en/admin/guidance/principle/{principle.pk}/change/", data).status_code == 302
    principle.refresh_from_db()
    assert (principle.summary_en, principle.summary_cy) == ("Line one.\nLine two.", "Llinell un.\nLlinell dau.")


def test_a_staff_file_and_scim_keep_one_line_ending():
    table = read_table(b'staff_number,department\r\n1001,"Economy\r\nand Transport"\r\n', "staff.csv")
    assert table.rows == [["1001", "Economy\nand Transport"]]
    assert department_named("Finance\r\nand Local Government").name_en == "Finance\nand Local Government"
