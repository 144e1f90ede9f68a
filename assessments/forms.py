from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.utils.translation import gettext_lazy as _


class AnswerForm(forms.Form):
    """One scenario question: the situation as text, then radios in a fieldset whose legend (the question) is the
    page heading.

    Drawn by ``assessments/_answer_radios.html`` rather than crispy-forms: the quiz is the busiest form in the portal
    and crispy's templates for each option were most of the page's time (README, Performance).
    """

    answer = forms.TypedChoiceField(
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select an answer"),
            "invalid_choice": _("Select one of the answers shown"),
        },
    )

    def __init__(self, *args, question, options, button_label, **kwargs):
        super().__init__(*args, **kwargs)
        # The situation is body text above the form (id "scenario"); only the question is the heading.
        scenario, asked = question.scenario_and_question
        self.fields["answer"].label = asked
        self.scenario = scenario
        self.described_by = "scenario" if scenario else ""
        self.choices = [(option.pk, option.text) for option in options]
        cast(forms.TypedChoiceField, self.fields["answer"]).choices = self.choices
        self.button_label = button_label

    def radios(self) -> list[dict]:
        """The options in their order, each with its input's id and whether it is the one chosen."""
        field = self["answer"]
        chosen = field.value()
        chosen = "" if chosen is None else str(chosen)
        return [
            {"id": f"{field.auto_id}_{number}", "value": value, "label": label, "checked": str(value) == chosen}
            for number, (value, label) in enumerate(self.choices, start=1)
        ]


class DeclarationForm(forms.Form):
    """The single-button declaration. The statement is shown above the button; confirming is the button itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Button("confirm", _("Confirm")))
