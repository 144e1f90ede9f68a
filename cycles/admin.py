from django.contrib import admin
from django.utils.translation import gettext_lazy

from portal.admin import ReadOnlyAdmin
from portal.admin_history import PortalHistoryAdmin

from .models import Cycle, Exemption
from .services import save_cycle


@admin.register(Cycle)
class CycleAdmin(PortalHistoryAdmin):
    list_display = ["name", "opens_on", "due_on", "is_current", "questions_per_principle", "pass_mark_percent"]
    filter_horizontal = ["departments"]
    readonly_fields = ["closed_at"]  # HR close a cycle from its dashboard (a confirmation page), never here
    fieldsets = [
        (None, {"fields": ["name", ("opens_on", "due_on"), "is_current", "closes_on", "closed_at"]}),
        (gettext_lazy("Scenario questions"), {"fields": ["questions_per_principle", "pass_mark_percent"]}),
        (gettext_lazy("Who the cycle covers"), {"fields": ["departments", "joiner_days"]}),
        (
            gettext_lazy("Reminder schedule"),
            {
                "description": gettext_lazy(
                    "Reminders go to everyone the cycle covers who has not completed and is not exempt, counted from "
                    "each person's own due date. Nobody gets more than one email a day."
                ),
                "fields": [
                    "remind_on_opening",
                    "remind_days_before",
                    "remind_on_due_date",
                    "remind_overdue_every_days",
                    "manager_summary_every_days",
                ],
            },
        ),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user  # what SimpleHistoryAdmin.save_model would record
        save_cycle(cycle=obj)

    def get_readonly_fields(self, request, obj=None):
        # The name is printed on every declaration made in the cycle (the database refuses the change too).
        declared = obj is not None and obj.acknowledgements.exists()
        return [*super().get_readonly_fields(request, obj), *(["name"] if declared else [])]


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdmin):
    """The record of who was exempted, by whom and when: shown, never changed here (HR use their Exemptions page)."""

    list_display = ["person", "cycle", "reason", "starts_on", "ends_on", "ended_early_on", "created_by", "created_at"]
    list_filter = ["cycle", "reason"]
    search_fields = ["person__staff_number", "person__last_name", "person__first_name"]
    readonly_fields = [field.name for field in Exemption._meta.fields]
