from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_history import PortalHistoryAdmin
from .models import RoleChange, User


@admin.register(User)
class StaffAdmin(PortalHistoryAdmin, UserAdmin):
    list_display = ["username", "staff_number", "first_name", "last_name", "department", "is_active"]
    list_filter = ["is_active", "department", "groups"]
    search_fields = ["username", "staff_number", "first_name", "last_name", "email"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Staff directory"), {"fields": ["staff_number", "department", "line_manager", "start_date", "preferred_language"]}),
    )
    raw_id_fields = ["line_manager"]

    def has_delete_permission(self, request, obj=None):
        return False  # people leave by being made inactive, so their records stay


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are evidence (acknowledgements, the role audit): shown, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyAdmin):
    """The audit trail of roles."""

    list_display = ["changed_at", "person", "action", "role", "changed_by"]
    list_filter = ["role", "action"]
    readonly_fields = ["person", "role", "action", "changed_by", "changed_at"]
