from django import forms
from django.utils.translation import gettext_lazy as _

from cycles.models import Cycle


class StatisticsForm(forms.Form):
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.all(),
        required=False,
        error_messages={"invalid_choice": _("Select a cycle from the list")},
    )
