from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Evidence retention")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .triggers import ensure_installed
        from .unlock import register_sqlite_function

        connection_created.connect(register_sqlite_function)
        post_migrate.connect(ensure_installed, sender=self)
