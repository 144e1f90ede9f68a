from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Staff and roles")

    def ready(self):
        from . import checks, roles, signals  # noqa: F401 - registers deploy checks, connects the role audit

        # Permissions for every app exist only once each app's own post_migrate has run, so grant them after all.
        post_migrate.connect(roles.grant_role_permissions)
