"""The declaration confirmation at 320 px with a long email address (as real addresses are): the address wraps."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser

ADDRESS = "gwenllian.pritchard-llewellyn@llyw.cymru.example.gov.wales"


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_confirmation_fits_320px_with_a_long_email_address(page, live_server, seeded, language):
    from assessments.models import Acknowledgement

    from ..reporting.conftest import complete

    person = seeded["people"]["staff"]
    person.email = ADDRESS
    person.save()
    complete(person, seeded["cycle"], seeded["version"])
    record = Acknowledgement.objects.get(user=person)
    sign_in(page, live_server.url, "staff", language=language)
    page.set_viewport_size({"width": 320, "height": 800})
    path = "declaration" if language == "en" else "datganiad"
    page.goto(f"{live_server.url}/{language}/{path}/{record.reference}/")
    assert ADDRESS in page.inner_text("#receipt-status")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"scrolls sideways by {overflow}px"
