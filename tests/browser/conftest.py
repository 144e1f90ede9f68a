"""Browser tests: the portal served by pytest-django's live server, driven in Debian's Chromium by Playwright."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from ..factories import acknowledge_after_reading

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run `make chromium` (Debian's chromium package).")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the portal itself allows no inline script.
    context = browser.new_context(viewport={"width": 1024, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def seeded(transactional_db):
    """The shipped content, a current cycle and a person for each role, in the live server's database."""
    from assessments.content import ensure_current_cycle, load_questions
    from guidance.content import load_guidance
    from legal.services import load_legal_pages
    from xliff.services import load_shipped_link_pairs

    from ..factories import DepartmentFactory, UserFactory

    version = load_guidance()
    load_shipped_link_pairs()
    load_questions()
    cycle = ensure_current_cycle()
    load_legal_pages()
    education = DepartmentFactory(code="EDU", name_en="Education and Welsh Language", name_cy="Addysg a’r Gymraeg")
    manager = UserFactory(username="rheolwr", first_name="Rhian", last_name="Morgan", department=education)
    people = {
        "staff": UserFactory(
            username="staff", first_name="Alex", last_name="Evans", department=education, line_manager=manager
        ),
        "staff_cy": UserFactory(
            username="staff.cy",
            first_name="Siân",
            last_name="Llywelyn",
            preferred_language="cy",
            department=education,
            line_manager=manager,
        ),
        "manager": manager,
        "hr": UserFactory(username="hr", first_name="Gareth", last_name="Price", roles=["HR"]),
        "editor": UserFactory(
            username="editor",
            first_name="Elin",
            last_name="Hughes",
            preferred_language="cy",
            roles=["Content editors"],
            is_staff=True,
        ),
    }
    return {"version": version, "cycle": cycle, "people": people}


def sign_in(page, base_url, username, *, language="en"):
    path = "/en/sign-in/" if language == "en" else "/cy/mewngofnodi/"
    page.goto(base_url + path)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#id_submit")
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        {"id": violation["id"], "help": violation["help"], "nodes": [node["target"] for node in violation["nodes"]][:5]}
        for violation in result["violations"]
    ]


def check(page, name: str, language: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{name} ({language}): {violations}"
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} ({language}) scrolls sideways at 320px by {overflow}px"
    page.set_viewport_size({"width": 1024, "height": 800})
    screenshot(page, f"{language}-{name}")


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def answer_quiz(page, *, right: int):
    """Answer the open attempt's questions in the browser: the first `right` correctly, the rest wrongly."""
    from assessments.models import Attempt, Option

    attempt = Attempt.objects.filter(status="in_progress").latest("started_at")
    for position in range(1, attempt.total + 1):
        answer = attempt.answers.get(position=position)
        options = Option.objects.filter(question=answer.question)
        option = options.get(is_correct=True) if position <= right else options.filter(is_correct=False).first()
        page.check(f"input[name=answer][value='{option.pk}']")
        page.click("button[name=continue]")
        page.wait_for_load_state()
    return attempt


# Welsh Government's directorates, as a realistic staff directory names them (long names are the point).
DEPARTMENTS = [
    ("ECON", "Economy, Energy and Transport", "Yr Economi, Ynni a Thrafnidiaeth"),
    ("EDU2", "Education, Social Justice and Welsh Language", "Addysg, Cyfiawnder Cymdeithasol a’r Gymraeg"),
    ("HSS", "Health, Social Care and Early Years", "Iechyd, Gofal Cymdeithasol a’r Blynyddoedd Cynnar"),
    ("CCRA", "Climate Change and Rural Affairs", "Newid Hinsawdd a Materion Gwledig"),
    ("FIN", "Finance and Local Government", "Cyllid a Llywodraeth Leol"),
    ("CORP", "Corporate Services", "Gwasanaethau Corfforaethol"),
    ("LEG", "Legal Services", "Gwasanaethau Cyfreithiol"),
    ("PSG", "Permanent Secretary’s Group", "Grŵp yr Ysgrifennydd Parhaol"),
    ("HOUS", "Housing and Regeneration", "Tai ac Adfywio"),
    ("COMMS", "Communications and Strategy", "Cyfathrebu a Strategaeth"),
    ("CULT", "Culture, Sport and Tourism", "Diwylliant, Chwaraeon a Thwristiaeth"),
    ("TREAS", "Welsh Treasury", "Trysorlys Cymru"),
]


@pytest.fixture
def workforce(seeded):
    """Twelve departments of a few people each; some have enough first attempts to show principle figures."""
    from assessments.services import start_attempt, submit_attempt

    from ..assessments.test_quiz import answer_all
    from ..factories import DepartmentFactory, UserFactory

    cycle, version = seeded["cycle"], seeded["version"]
    people = []
    for index, (code, name_en, name_cy) in enumerate(DEPARTMENTS):
        department = DepartmentFactory(code=code, name_en=name_en, name_cy=name_cy)
        for number in range(6 if index < 3 else 2):
            person = UserFactory(department=department, preferred_language="cy" if number % 2 else "en")
            people.append(person)
            if index < 3 and number < 5:  # five first attempts: enough to show these departments' figures
                attempt = start_attempt(user=person, cycle=cycle, language=person.preferred_language)
                answer_all(attempt, person, correct=6 if number < 3 else 2)
                submit_attempt(user=person, attempt_id=attempt.pk, language=person.preferred_language)
                if number < 2:
                    acknowledge_after_reading(
                        user=person, cycle=cycle, version=version, language=person.preferred_language
                    )
    return people
