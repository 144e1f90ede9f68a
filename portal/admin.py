from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .admin_history import PortalHistoryAdmin
from .models import RoleChange, User


@admin.register(User)
class StaffAdmin(PortalHistoryAdmin, UserAdmin):
    list_display = ["username", "staff_number", "first_name", "last_name", "department", "is_active"]
    list_filter = ["is_active", "department", "groups"]
    search_fields = ["username", "staff_number", "first_name", "last_name", "email"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("Staff directory"),
            {"fields": ["staff_number", "department", "line_manager", "start_date", "preferred_language"]},
        ),
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


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "View on site" (/admin/r/<content type>/<id>/), answering only for an object the person may view in
    the admin: Django's own view redirects anyone signed in to the admin, so its redirect would show an editor a
    declaration's reference, and it fails with a 500 on an id its model cannot hold."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site._registry.get(model) if model else None
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    obj = model_admin.get_object(request, object_id)  # None for a missing object or an id of the wrong kind
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, obj.pk)
