from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from cycles.models import Exemption


class DayMonthYearField(DateInputField):
    """GOV.UK's date input with messages in the page's language (the library's own are English only)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.error_messages = {
            "required": _("Enter the day, month and year"),
            "incomplete": _("Enter the day, month and year"),
            "invalid": _("Enter a real date"),
        }
        for field, missing in zip(
            self.fields, (_("Enter the day"), _("Enter the month"), _("Enter the year")), strict=True
        ):
            field.error_messages["incomplete"] = missing
            field.validators = [RegexValidator(r"^[0-9]{1,4}$", _("Enter a real date"))]
        for widget, label in zip(self.widget.widgets, (_("Day"), _("Month"), _("Year")), strict=True):
            widget.attrs.update({"label": label, "inputmode": "numeric"})

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(_("Enter a real date"), code="invalid") from None


class ExemptionForm(forms.Form):
    staff_number = forms.CharField(
        label=_("Staff number"),
        max_length=20,
        error_messages={"required": _("Enter the staff number of the person to exempt")},
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Exemption.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a reason"), "invalid_choice": _("Select a reason from the list")},
    )
    note = forms.CharField(
        label=_("Note"),
        help_text=_("Needed when the reason is “Other”. Do not include medical details."),
        required=False,
        max_length=500,
        widget=forms.Textarea,
    )
    ends_on = DayMonthYearField(label=_("Exempt until"), help_text=_("For example, 31 3 2027"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("staff_number", label_size=Size.MEDIUM, field_width=10),
            Field.radios("reason", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.MEDIUM, rows=3),
            Field("ends_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            Button("exempt", _("Exempt this person")),
        )

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].replace("\x00", "").strip()
        person = get_user_model().objects.filter(staff_number__iexact=number, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No one in the staff directory has this staff number"))
        self.person = person
        return number

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("reason") == Exemption.Reason.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why this person is exempt"))
        return cleaned
