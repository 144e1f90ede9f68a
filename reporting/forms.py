from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.status import PersonStatus
from cycles.models import Cycle
from directory.models import Department


def status_choices():
    return [
        ("", _("Any status")),
        *PersonStatus.choices,
        ("outstanding", _("Not completed (outstanding)")),
    ]


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or staff number"), required=False, max_length=100)
    department = forms.ChoiceField(
        label=_("Department"), required=False, error_messages={"invalid_choice": _("Select a department from the list")}
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, error_messages={"invalid_choice": _("Select a status from the list")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["department"]).choices = [("", _("All departments"))] + [
            (department.code, department.name) for department in Department.objects.all()
        ]
        cast(forms.ChoiceField, self.fields["status"]).choices = status_choices()

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()


class DownloadForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.all(), required=False)
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False)
    outstanding = forms.BooleanField(required=False)


class ChaseForm(forms.Form):
    """Who to remind: the people ticked on the staff list, or everyone the list's filters show."""

    person = forms.TypedMultipleChoiceField(coerce=int, required=False)
    scope = forms.ChoiceField(choices=[("selected", "selected"), ("filter", "filter")], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any whole number is accepted here; who may be reminded is decided by the rules, not the form.
        cast(forms.TypedMultipleChoiceField, self.fields["person"]).valid_value = (  # type: ignore[method-assign]
            lambda value: str(value).isdigit()
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("scope") != "filter" and not cleaned.get("person"):
            raise forms.ValidationError(
                _("Select the people to remind, or choose everyone in this filter"), code="nobody"
            )
        return cleaned
