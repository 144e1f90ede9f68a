"""The change history in the admin, in the page's language: field values shown as a person reads them (choice labels,
dates as GOV.UK writes them, "Yes"/"No", "Not set") rather than as stored ("draft", "2026-12-07 01:35:00+00:00",
"None"), and breadcrumbs naming the app and the model, not simple-history's "Historical …" model."""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def display_value(field, value):
    """One stored value as the admin's forms would show it, in the active language."""
    if isinstance(value, list):  # many-to-many: the related objects, already prepared
        return [display_value(None, item) for item in value]
    if value is None or value == "":
        return _("Not set")
    if field is not None and field.flatchoices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


class PortalHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        return display_value(self.model._meta.get_field(change.field), prepared)


class PortalHistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with the history in the page's language (templates in templates/admin/portal/)."""

    object_history_list_template = "admin/portal/object_history_list.html"
    object_history_form_template = "admin/portal/object_history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return PortalHistoryContextHelper(self.model, historical_record)
