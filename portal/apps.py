from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Staff and roles")

    def ready(self):
        from . import checks, roles, signals  # noqa: F401 - registers deploy checks, connects the role audit

        post_migrate.connect(roles.grant_role_permissions, sender=self)
