from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Department

from ..models import Cycle
from ..status import PersonStatus


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
        self.fields["department"].choices = [("", _("All departments"))] + [
            (department.code, department.name) for department in Department.objects.all()
        ]
        self.fields["status"].choices = status_choices()

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()


class DownloadForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.all(), required=False)
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")], required=False)
    outstanding = forms.BooleanField(required=False)
