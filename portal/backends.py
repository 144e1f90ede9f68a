"""Password sign-in, with a person's permissions read in one query (Django's ModelBackend uses two on every page
that checks one)."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class PermissionsInOneQuery:
    """Everything a person may do, from their own permissions and their roles', cached on the user for the request."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            granted = (
                Permission.objects.all()
                if user_obj.is_superuser
                else Permission.objects.filter(Q(user=user_obj) | Q(group__user=user_obj))
            )
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in granted.values_list("content_type__app_label", "codename").distinct()
            }
        return user_obj._perm_cache


class StaffBackend(PermissionsInOneQuery, ModelBackend):
    pass
