from django.contrib import admin

from portal.admin import ReadOnlyAdmin

from .models import RetentionRun


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "ran_by", "cutoff", "acknowledgements_removed", "versions_removed", "sections_removed"]
    readonly_fields = [*list_display, "removed"]  # type: ignore[list-item]  # names only, no callables
