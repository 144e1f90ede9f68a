from typing import cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .importing import columns

EXTENSIONS = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods")
NOT_IN_FILE = ""
DECISIONS = ("duplicate_", "rename_")  # the department questions on the preview


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("Upload the staff list"),
        help_text=_(
            "A CSV file (saved as UTF-8), an Excel workbook (.xlsx) or an OpenDocument spreadsheet (.ods), with a heading row."
        ),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )
    full = forms.BooleanField(
        label=_("This is the full staff list: make anyone not in it inactive"),
        help_text=_("You will see how many people this affects and confirm it before anything changes."),
        required=False,
        initial=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("file"), Field.checkbox("full"), Button("upload", _("Upload and match the columns"))
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.STAFF_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file must be smaller than %(size)s MB")
                % {"size": settings.STAFF_IMPORT_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("The selected file must be a CSV, XLSX or ODS file"), code="wrong_type")
        return upload


class ColumnsForm(forms.Form):
    """One drop-down per field listing the file's headings; the staff number and email may fall back to a second."""

    preset = forms.ChoiceField(label=_("Where is the file from?"), choices=list(columns.PRESETS.items()))
    FALLBACKS = ("staff_number", "email")

    def __init__(self, *args, headings: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headings = headings
        choices = [(NOT_IN_FILE, _("Not in the file"))] + [
            (str(index), heading) for index, heading in enumerate(headings) if heading
        ]
        layout = [
            Field.radios("preset", legend_size=Size.SMALL, small=True),
            Button("apply_preset", _("Match the columns for this file type"), css_class="govuk-button--secondary"),
        ]
        for field in columns.FIELDS:
            self.fields[field.name] = forms.ChoiceField(
                label=field.label, choices=choices, required=False, help_text=field.hint
            )
            layout.append(Field.select(field.name))
            if field.name in self.FALLBACKS:
                name = f"{field.name}_fallback"
                self.fields[name] = forms.ChoiceField(label=_("If that is empty, use"), choices=choices, required=False)
                layout.append(Field.select(name))
        layout.append(Button("continue", _("Continue")))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)

    @classmethod
    def initial_for(cls, mapping: dict[str, list[int]], preset: str) -> dict:
        initial = {"preset": preset}
        for name, indexes in mapping.items():
            if indexes:
                initial[name] = str(indexes[0])
            if len(indexes) > 1 and name in cls.FALLBACKS:
                initial[f"{name}_fallback"] = str(indexes[1])
        return initial

    def mapping(self) -> dict[str, list[int]]:
        chosen = {}
        for field in columns.FIELDS:
            picked = [self.cleaned_data.get(field.name), self.cleaned_data.get(f"{field.name}_fallback")]
            indexes = [int(value) for value in picked if value not in (None, NOT_IN_FILE)]
            if indexes:
                chosen[field.name] = list(dict.fromkeys(indexes))
        return chosen

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.errors or "continue" not in self.data:
            return cleaned
        from .importing.planning import mapping_errors

        for problem in mapping_errors(self.mapping(), self.headings):
            self.add_error(None, problem)
        return cleaned


def _names(name_en: str, name_cy: str) -> str:
    return f"{name_en} / {name_cy}" if name_cy else name_en


class ConfirmImportForm(forms.Form):
    """What HR accept before anything is written: each department decision, new departments, who becomes inactive.

    Asked from the preview (importing/preview.py's ``Shown``), so a large file's kept preview asks without planning.
    """

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        for department in plan.likely_duplicates:
            self.fields[f"duplicate_{department['code']}"] = self._duplicate_question(department)
        for difference in plan.name_differences:
            self.fields[f"rename_{difference['code']}"] = self._rename_question(difference)
        count = len(plan.new_departments)
        if count:
            self.fields["accept_departments"] = forms.BooleanField(
                label=ngettext(
                    "Create %(count)s new department listed above",
                    "Create the %(count)s new departments listed above",
                    count,
                )
                % {"count": count},
                error_messages={"required": _("Confirm the new departments, or correct the file")},
            )
        count = plan.counts["deactivated"]
        if count:
            self.fields["confirm_deactivation"] = forms.BooleanField(
                label=ngettext(
                    "Make %(count)s person who is not in this list inactive",
                    "Make %(count)s people who are not in this list inactive",
                    count,
                )
                % {"count": count},
                error_messages={
                    "required": _(
                        "Confirm who will be made inactive, or upload the list again without “full staff list”"
                    )
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        questions = [
            Field.radios(name, legend_size=Size.SMALL, small=True) for name in self.fields if name.startswith(DECISIONS)
        ]
        checkboxes = [Field.checkbox(name) for name in self.fields if not name.startswith(DECISIONS)]
        self.helper.layout = Layout(*questions, *checkboxes, Button("confirm", _("Confirm and import")))

    @staticmethod
    def _duplicate_question(department: dict) -> forms.ChoiceField:
        values = {
            "name": department["name_en"],
            "code": department["code"],
            "existing_name": department["existing_name"],
            "existing_code": department["existing_code"],
        }
        if department["code_from_file"]:
            label = _(
                "The file’s department %(code)s “%(name)s”: the portal has no department %(code)s, but its "
                "%(existing_code)s is called “%(existing_name)s”"
            )
            create = _("Create a new department %(code)s – %(name)s")
        else:
            label = _(
                "The file’s department “%(name)s” was matched by its name to the portal’s %(existing_code)s “%(existing_name)s”"
            )
            create = _("Create a new department %(code)s – %(name)s (a code made from its name)")
        return forms.ChoiceField(
            label=label % values,
            choices=[
                ("existing", _("Use the portal’s department %(existing_code)s – %(existing_name)s") % values),
                ("new", create % values),
            ],
            widget=forms.RadioSelect,
            initial="existing",
            error_messages={"required": _("Choose what to do with each department that looks like a duplicate")},
        )

    @staticmethod
    def _rename_question(difference: dict) -> forms.ChoiceField:
        values = {
            "code": difference["code"],
            "file": difference["names_in_file"],
            "portal": _names(difference["portal_name_en"], difference["portal_name_cy"]),
        }
        return forms.ChoiceField(
            label=_("Department %(code)s is called “%(file)s” in the file and “%(portal)s” in the portal") % values,
            choices=[
                ("keep", _("Keep the portal’s name: %(portal)s") % values),
                ("rename", _("Use the name in the file: %(file)s") % values),
            ],
            widget=forms.RadioSelect,
            initial="keep",
            error_messages={"required": _("Choose which name each department keeps")},
        )

    def decisions(self) -> list[dict]:
        """Each department question as text, for a preview that lists problems and so shows no form."""
        listed = []
        for name, field in self.fields.items():
            if name.startswith(DECISIONS):
                # a ChoiceField's choices read back as a list of pairs (the stubs give the setter's wider type)
                options = cast(list[tuple[str, str]], cast(forms.ChoiceField, field).choices)
                choices = dict(options)
                others = [label for value, label in options if value != field.initial]
                listed.append({"question": field.label, "chosen": choices[field.initial], "others": others})
        return listed

    def _chosen(self, prefix: str, choice: str) -> list[str]:
        return [
            name.removeprefix(prefix)
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value == choice
        ]

    def keep_duplicates(self) -> list[str]:
        return self._chosen("duplicate_", "new")

    def rename_departments(self) -> list[str]:
        return self._chosen("rename_", "rename")
