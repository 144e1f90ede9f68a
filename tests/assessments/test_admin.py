import pytest

from assessments.models import Question

from ..factories import PrincipleFactory

pytestmark = pytest.mark.django_db


def question_form(*, active: bool, welsh: bool, correct=(True, False, False)):
    data = {
        "key": "new-scenario",
        "principle": PrincipleFactory(number=3).pk,
        "prompt_en": "A colleague posts a wrong figure. What should you do?",
        "prompt_cy": "Mae cydweithiwr yn postio ffigur anghywir. Beth ddylech chi ei wneud?" if welsh else "",
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "3",
        "options-MAX_NUM_FORMS": "4",
    }
    if active:
        data["is_active"] = "on"
    for index in range(3):
        data.update(
            {
                f"options-{index}-order": str(index + 1),
                f"options-{index}-text_en": f"Answer {index}",
                f"options-{index}-text_cy": f"Ateb {index}" if welsh else "",
                f"options-{index}-feedback_en": f"Because {index}",
                f"options-{index}-feedback_cy": f"Oherwydd {index}" if welsh else "",
            }
        )
        if correct[index]:
            data[f"options-{index}-is_correct"] = "on"
    return data


def test_a_question_cannot_be_made_active_without_its_welsh(client, editor):
    client.force_login(editor)
    response = client.post("/en/admin/assessments/question/add/", question_form(active=True, welsh=False))
    assert response.status_code == 200
    assert "Add the Welsh before you make this question active" in response.content.decode()
    assert not Question.objects.filter(key="new-scenario").exists()


def test_an_inactive_draft_question_can_be_saved_without_welsh(client, editor):
    client.force_login(editor)
    client.post("/en/admin/assessments/question/add/", question_form(active=False, welsh=False))
    assert Question.objects.filter(key="new-scenario", is_active=False).exists()


def test_a_question_needs_exactly_one_correct_option(client, editor):
    client.force_login(editor)
    response = client.post(
        "/en/admin/assessments/question/add/", question_form(active=True, welsh=True, correct=(True, True, False))
    )
    assert "Mark exactly one answer option as correct." in response.content.decode()
    client.post("/en/admin/assessments/question/add/", question_form(active=True, welsh=True))
    assert Question.objects.get(key="new-scenario").is_active
