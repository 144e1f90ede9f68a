from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload the staff list"),
        help_text=_("A CSV file saved as UTF-8, with a heading row. Excel: save as “CSV UTF-8 (Comma delimited)”."),
        error_messages={"required": _("Select a CSV file"), "empty": _("The selected file is empty")},
    )
    full = forms.BooleanField(
        label=_("This is the full staff list: make anyone not in it inactive"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file"),
            Field.checkbox("full"),
            Button("upload", _("Upload and preview")),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.STAFF_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file must be smaller than %(size)s MB")
                % {"size": settings.STAFF_IMPORT_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("The selected file must be a CSV"), code="not_csv")
        return upload
