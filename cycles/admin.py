from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import Exemption


@admin.register(Exemption)
class ExemptionAdmin(ReadOnlyAdmin):
    """The record of who was exempted, by whom and when: shown, never changed here (HR use their Exemptions page)."""

    list_display = ["person", "cycle", "reason", "starts_on", "ends_on", "ended_early_on", "created_by", "created_at"]
    list_filter = ["cycle", "reason"]
    search_fields = ["person__staff_number", "person__last_name", "person__first_name"]
    readonly_fields = [field.name for field in Exemption._meta.fields]
