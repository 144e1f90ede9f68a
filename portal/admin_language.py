"""List columns for a field kept in one language: the cell carries `lang`, as the change form's fields do
(templates/admin/includes/fieldset.html), so a screen reader reads a Welsh name as Welsh on an English page."""

from django.contrib import admin
from django.utils.html import format_html


def in_its_language(model, field_name: str):
    """A list_display column for `field_name` (ending _en or _cy) with its text marked in its language."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def column(obj):
        return format_html('<span lang="{}">{}</span>', field_name[-2:], getattr(obj, field_name))

    column.__name__ = field_name
    return column
