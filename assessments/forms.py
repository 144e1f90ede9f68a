from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _


class AnswerForm(forms.Form):
    """One scenario question: the situation as text, then radios in a fieldset whose legend (the question) is the
    page heading."""

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
        # crispy-forms-gds marks labels safe, so escape the editor's text here.
        self.fields["answer"].label = conditional_escape(asked)
        self.fields["answer"].described_by = "scenario" if scenario else ""
        self.scenario = scenario
        self.fields["answer"].choices = [(option.pk, option.text) for option in options]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("answer", legend_size=Size.LARGE, legend_tag="h1"),
            Button("continue", button_label),
        )


class DeclarationForm(forms.Form):
    """The single-button declaration. The statement is shown above the button; confirming is the button itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Button("confirm", _("Confirm")))
