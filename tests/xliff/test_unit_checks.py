"""The checks each translated unit must pass before its Welsh is used, with the messages the editor reads: the Welsh
keeps the placeholders, links and Markdown structure of the English, and is neither empty nor the English again."""

import pytest
from django.utils import translation

from xliff.files import ReturnedUnit, problems_with
from xliff.units import Unit

COUNTERPARTS = {"https://llyw.cymru/polisi": "https://gov.wales/policy"}


def check(english: str, welsh: str, *, language: str = "en") -> list[str]:
    unit = Unit("legal/privacy/body", "Privacy", english, "", "", True, None, "body")
    with translation.override(language):
        return problems_with(unit, ReturnedUnit(unit.id, english, welsh), counterparts=COUNTERPARTS)


@pytest.mark.parametrize(
    ("english", "welsh"),
    [
        ("Hello %(name)s, you have %(count)d days.", "Mae gennych %(count)d diwrnod, %(name)s."),  # reordered
        ("See [the policy](https://gov.wales/policy).", "Gweler [y polisi](https://gov.wales/policy)."),
        ("See [the policy](https://gov.wales/policy).", "Gweler [y polisi](https://llyw.cymru/polisi)."),  # pair
        ("## Rules\n\n- one\n- two\n\n1. first\n2. second", "## Rheolau\n\n- un\n- dau\n\n1. cyntaf\n2. ail"),
        ("  - indented\n  - list", "  - rhestr\n  - wedi'i mewnoli"),
        ("First.\n\n\nSecond.", "Cyntaf.\n\nAil."),  # blank lines between paragraphs, however many
        ("2026-27", "2026-27"),  # no words to translate
        ("OK", "OK"),
    ],
)
def test_welsh_that_keeps_the_structure_of_the_english_is_accepted(english, welsh):
    assert check(english, welsh) == []


@pytest.mark.parametrize(
    ("english", "welsh", "problem"),
    [
        ("Anything at all.", " \n ", "Privacy: the Welsh is empty"),
        (
            "Kept for %(days)d days.",
            "Cedwir am %(dyddiau)d diwrnod.",
            "Privacy: the Welsh must keep the placeholders %(days)d exactly as they are",
        ),
        (
            "{a} and {a}.",
            "{a}.",
            "Privacy: the Welsh must keep the placeholders {a} exactly as they are",
        ),
        (
            "[One](https://gov.wales/a) and [again](https://gov.wales/a).",
            "[Un](https://gov.wales/a).",
            "Privacy: the Welsh must keep every link, written [text](address), with the same addresses or their Welsh "
            "counterparts listed under “Link pairs” in the admin",
        ),
        (
            "[Policy](https://gov.wales/policy).",
            "[Polisi](https://example.org/polisi).",
            "Privacy: the Welsh must keep every link, written [text](address), with the same addresses or their Welsh "
            "counterparts listed under “Link pairs” in the admin",
        ),
        (
            "## Rules\n\nText.",
            "Rheolau\n\nTestun.",
            "Privacy: the Welsh must have the same number of headings as the English (1)",
        ),
        (
            "- one\n- two",
            "- un\ndau",
            "Privacy: the Welsh must have the same number of bullet points as the English (2)",
        ),
        (
            "1. first\n2. second",
            "1. cyntaf\nail",
            "Privacy: the Welsh must have the same number of numbered items as the English (2)",
        ),
        (
            "First.\n\nSecond.",
            "Cyntaf. Ail.",
            "Privacy: the Welsh must have the same number of paragraphs as the English (2)",
        ),
        ("Left in English.", "  Left in English.\n", "Privacy: the Welsh is the same as the English"),
    ],
)
def test_welsh_that_loses_something_is_refused_with_a_message_that_says_what(english, welsh, problem):
    assert check(english, welsh) == [problem]


def test_every_problem_of_a_unit_is_listed_together():
    assert check("## Title {x}\n\nText.", "Teitl") == [
        "Privacy: the Welsh must keep the placeholders {x} exactly as they are",
        "Privacy: the Welsh must have the same number of headings as the English (1)",
        "Privacy: the Welsh must have the same number of paragraphs as the English (2)",
    ]


def test_a_welsh_editor_reads_the_problems_in_welsh_with_the_mutation_after_o():
    assert check("## Rules\n\n- one\n- two", "Rheolau\n\n- un\ndau", language="cy") == [
        "Privacy: rhaid i'r Gymraeg gynnwys yr un nifer o benawdau â'r Saesneg (1)",
        "Privacy: rhaid i'r Gymraeg gynnwys yr un nifer o bwyntiau bwled â'r Saesneg (2)",
    ]
