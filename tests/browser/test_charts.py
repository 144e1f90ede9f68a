"""The dashboard's and My team's charts in Chromium with the portal's real Content Security Policy enforced."""

import pytest

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strict_page(browser):
    """A page that enforces the CSP (the accessibility tests bypass it to inject axe-core)."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.csp_messages = messages
    yield page
    context.close()


@pytest.fixture
def answered(seeded):
    from ..factories import UserFactory
    from ..reporting.conftest import complete

    cycle, version = seeded["cycle"], seeded["version"]
    people = seeded["people"]
    for index in range(6):
        person = UserFactory(department=people["staff"].department, line_manager=people["manager"])
        complete(person, cycle, version, correct=6 if index % 2 else 3)
    return seeded


@pytest.mark.parametrize(
    ("username", "path", "chart_ids"),
    [
        ("hr", "/en/hr/", ["chart-progress", "chart-departments", "chart-principles"]),
        ("hr", "/cy/ad/", ["chart-progress", "chart-departments", "chart-principles"]),
        ("rheolwr", "/en/my-team/", ["chart-team"]),
    ],
)
def test_charts_draw_under_the_content_security_policy(strict_page, live_server, answered, username, path, chart_ids):
    sign_in(strict_page, live_server.url, username)
    response = strict_page.goto(live_server.url + path)
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    for chart_id in chart_ids:
        chart = strict_page.locator(f"svg#{chart_id}")
        box = chart.bounding_box()
        assert box and box["width"] > 250 and box["height"] > 100, chart_id
        # The accessible name and description come from the chart's title and its finding.
        assert strict_page.locator(f"#{chart_id}-desc").text_content().strip()
        assert chart.locator("text").count() > 3
    violations = [text for text in strict_page.csp_messages if "Content Security Policy" in text]
    assert violations == []
