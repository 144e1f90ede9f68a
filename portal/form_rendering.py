"""Every field with an error message looks errored, whatever its widget and whoever wrote the form.

crispy-forms-gds adds GOV.UK's error class only to text inputs, selects and text areas (a select even gets the input's
class), and a layout's own classes can replace it, so a password field with "Enter your password" looked fine. The
class is added here, when the widget is rendered, through the form renderer every form in the project uses.
"""

from django import forms
from django.forms.renderers import DjangoTemplates

ERROR_CLASSES = [  # most specific first
    (forms.Select, "govuk-select--error"),
    (forms.Textarea, "govuk-textarea--error"),
    (forms.FileInput, "govuk-file-upload--error"),
    (forms.CheckboxInput, ""),  # GOV.UK marks the group, not each box
    (forms.widgets.Input, "govuk-input--error"),
]


def error_class(widget) -> str:
    return next((css for kind, css in ERROR_CLASSES if isinstance(widget, kind)), "")


class ErrorStyledBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = error_class(widget) if self.errors else ""
        if css:
            classes = (attrs.get("class") or widget.attrs.get("class", "")).split()
            attrs["class"] = " ".join([*classes, css] if css not in classes else classes)
        return attrs


class PortalFormRenderer(DjangoTemplates):
    bound_field_class = ErrorStyledBoundField
