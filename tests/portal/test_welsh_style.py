"""Issue 16's review of the Welsh: each fault it found, held where a person would read it."""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from assessments.content import QUESTIONS_FILE
from guidance.content import CONTENT_FILE
from guidance.models import Principle

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"
LEGAL = Path(settings.BASE_DIR) / "legal" / "content"
CODE_EN = "https://www.gov.uk/government/publications/civil-service-code"
CODE_CY = "https://llyw.cymru/node/27857"  # Cod y Gwasanaeth Sifil, published by the Welsh Government


def welsh_content() -> list[tuple[str, str]]:
    """Every Welsh text shipped in the guidance and the question bank, with where it is."""
    guidance = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    texts = [
        (f"principle {p['number']}", p[field]) for p in guidance["principles"] for field in ("name_cy", "summary_cy")
    ]
    texts += [(s["slug_en"], s[field]) for s in guidance["sections"] for field in ("title_cy", "body_cy")]
    for number, question in enumerate(json.loads(QUESTIONS_FILE.read_text(encoding="utf-8"))["questions"], start=1):
        texts.append((f"Q{number}", question["prompt_cy"]))
        for option in question["options"]:
            texts += [(f"Q{number}", option["text_cy"]), (f"Q{number}", option["feedback_cy"])]
    return texts


def test_the_principle_6_summary_keeps_only():
    guidance = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    summary = guidance["principles"][5]["summary_cy"]
    assert "defnyddiwch gyfrifon Llywodraeth Cymru yn unig, fel y nodir" in summary


def test_the_list_of_six_uses_commands_and_one_dash():
    guidance = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    body = next(s for s in guidance["sections"] if s["slug_en"] == "six-things-to-remember")["body_cy"]
    items = re.findall(r"^\d\. (.+)$", body, re.MULTILINE)
    assert len(items) == 6
    assert all(re.match(r"^[\w ]+ – \w", item) for item in items), items
    assert items[0].startswith("Priodoldeb – dilynwch God y Gwasanaeth Sifil a chymhwyswch yr un safonau")


def test_the_code_binds_us_not_the_other_way_round():
    guidance = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    body = next(s for s in guidance["sections"] if s["slug_en"] == "propriety-and-ethics")["body_cy"]
    assert "Fel gweision sifil, rydym i gyd yn rhwym wrth God y Gwasanaeth Sifil." in body
    assert "yn ein rhwymo ni i gyd" not in body


def test_scenarios_say_your_own_and_criticism_of_as_welsh_does():
    texts = [text for _where, text in welsh_content()]
    assert not [text for text in texts if re.search(r"(jôc|unrhyw eiriau) eich hun", text)]
    assert not [text for text in texts if re.search(r"beirniadaeth( lem)? o ", text)]
    assert any("jôc o'ch eiddo eich hun" in text for text in texts)
    assert any("beirniadaeth lem ar un o Weinidogion" in text for text in texts)


def test_welsh_content_keeps_one_register_one_apostrophe_and_e_bost():
    for where, text in welsh_content():
        assert not re.search(r"\b(maen|gallan|byddan|dylen) nhw\b", text), where
        assert not re.search(r"\w’\w", text), where  # elisions take the straight apostrophe: "i'w", "dyw'r"
        assert "ebost" not in text.lower(), where


@pytest.mark.django_db
def test_welsh_pages_link_to_the_welsh_civil_service_code(client, staff, content):
    client.force_login(staff)
    english = client.get("/en/guidance/propriety-and-ethics/").content.decode()
    welsh = client.get("/cy/canllawiau/priodoldeb-a-moeseg/").content.decode()
    assert f'href="{CODE_EN}"' in english and CODE_CY not in english
    assert f'href="{CODE_CY}"' in welsh and CODE_EN not in welsh
    introduction = client.get("/cy/canllawiau/cyflwyniad/").content.decode()
    assert f'href="{CODE_CY}"' in introduction and "ar gael ar LLYW.CYMRU" in introduction
    assert Principle.objects.get(number=6).summary_cy.count("yn unig") == 1


@pytest.mark.django_db
def test_welsh_task_list_and_quiz_read_naturally(client, welsh_staff, cycle, content):
    client.force_login(welsh_staff)
    home = client.get("/cy/").content.decode()
    assert "Methu dechrau eto" in home
    assert "Ddim yn gallu" not in home
    start = client.get("/cy/cwis/").content.decode()
    assert "Gofynnir 6 o gwestiynau i chi" in start


@pytest.mark.django_db
def test_an_empty_staff_list_says_nobody_in_both_languages(client, hr, cycle):
    client.force_login(hr)
    assert "Dim pobl" in client.get("/cy/ad/staff/?q=nobody-has-this-name").content.decode()
    assert "No people" in client.get("/en/hr/staff/?q=nobody-has-this-name").content.decode()


def test_the_server_error_page_names_the_service_in_both_languages():
    page = render_to_string("500.html")
    header = re.search(r"<header.*?</header>", page, re.DOTALL).group(0)
    assert "Social media guidance" in header
    assert '<span lang="cy">Canllawiau cyfryngau cymdeithasol</span>' in header


# Issue 26's review of the Welsh.


def catalogue_welsh() -> list[tuple[str, int | None, str]]:
    """(msgid, plural form or None, Welsh) for every translation in the portal's catalogue."""
    texts = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.msgid_plural:
            texts += [(entry.msgid, form, text) for form, text in sorted(entry.msgstr_plural.items())]
        else:
            texts.append((entry.msgid, None, entry.msgstr))
    return texts


def test_a_and_na_never_stand_before_a_number_they_cannot_agree_with():
    """ "a"/"na" become "ac"/"nag" before a number said with a vowel (1 un, 8 wyth, 11–19 un deg …, 80–89): a
    placeholder hides which, so the Welsh is worded without them ("o dan", "dros", "a hefyd")."""
    before_placeholder = re.compile(r"\b(a|ac|na|nag)\s+%\(\w+\)[sd]")
    before_vowel_number = re.compile(r"\b(a|na)\s+(1|8|1\d|8\d)\b")
    assert [(msgid, text) for msgid, _form, text in catalogue_welsh() if before_placeholder.search(text)] == []
    assert [(msgid, text) for msgid, _form, text in catalogue_welsh() if before_vowel_number.search(text)] == []


def test_two_takes_the_soft_mutated_singular_and_one_person_the_singular():
    two_with_o = re.compile(r"%\((count|counter|num)\)[sd] o [^\W\d]")
    assert [text for _msgid, form, text in catalogue_welsh() if form == 1 and two_with_o.search(text)] == []
    plural_of_one = re.compile(r"\b(maent|ganddynt|hunain|byddant|ydynt)\b")
    assert [text for _msgid, form, text in catalogue_welsh() if form == 0 and plural_of_one.search(text)] == []


def test_years_take_mlynedd_or_o_flynyddoedd_after_a_number():
    with translation.override("cy"):
        years = [ngettext("%(count)s year", "%(count)s years", n) % {"count": n} for n in (1, 2, 5, 7, 8, 10)]
    assert years == ["1 flwyddyn", "2 flynedd", "5 o flynyddoedd", "7 o flynyddoedd", "8 mlynedd", "10 o flynyddoedd"]


CATALOGUE_FAULTS = [
    "Pobl a fethodd bob", "esemptio o ", "Esemptio rhywun o", "Does neb", "weinyddiaeth", "fersiwn drafft",
    "o ddiwrnodau yn ôl", "Wedi cwblhau fwyaf", "Wedi cwblhau leiaf", "dau gyfran", "pan mai", "tystiolaeth o cyn",
    "eisoes yn ffigurau", "Nodyn i ddilyn i fyny", "wedi cael ei adrodd", "rhestr staff gyfan", "ar wyliau",
    "a chyfryngau digidol ar gyfer", "Hwyr: cwblhewch", "%(count)s blynedd",
]  # fmt: skip
CONTENT_FAULTS = [
    "estyn allan", "weithio allan", "gosodwch ef", "cael ei ymyrryd", "disgrifiad plaen", "feirniadaeth o'r",
    "ond dim ond i ffrindiau agos.", "ymdrechion", "esemptio o ", "hanner cadw",
]  # fmt: skip


def test_the_faults_issue_26_found_stay_fixed():
    catalogue = catalogue_welsh()
    assert [(fault, msgid) for fault in CATALOGUE_FAULTS for msgid, _form, text in catalogue if fault in text] == []
    shipped = [text for _where, text in welsh_content()]
    shipped += [(LEGAL / name).read_text(encoding="utf-8") for name in ("privacy.cy.md", "accessibility.cy.md")]
    shipped.append(Path(settings.BASE_DIR, "templates", "500.html").read_text(encoding="utf-8"))
    assert [fault for fault in CONTENT_FAULTS if any(fault in text for text in shipped)] == []
    translations = {msgid: text for msgid, form, text in catalogue if form is None}
    assert translations["Complete"] != translations["Completed"]  # two columns of the dashboard and the XLSX
    assert translations["Overdue: complete the social media guidance (due %(date)s)"].startswith("Yn hwyr: ")
    guidance = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    titles = {section["slug_en"]: section["title_cy"] for section in guidance["sections"]}
    assert titles["six-things-to-remember"] == "Chwe pheth i'w cofio"


def test_the_server_error_page_gives_the_welsh_first():
    page = render_to_string("500.html")
    main = re.search(r"<main.*?</main>", page, re.DOTALL).group(0)
    assert main.index('lang="cy"') < main.index('lang="en"')
    assert re.search(r'<h1 class="govuk-heading-l">Mae\'n ddrwg gennym', main)
