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
        # Declarations and published versions join the chain inside the transaction that writes them.
        from assessments.signals import declaration_recorded
        from guidance.signals import version_published

        from . import chain
        from .models import ChainLink

        def chain_declaration(sender, *, declaration, **kwargs):
            chain.append(kind=ChainLink.Kind.DECLARATION, record=declaration)

        def chain_version(sender, *, version, **kwargs):
            chain.append(kind=ChainLink.Kind.VERSION, record=version)

        declaration_recorded.connect(chain_declaration, weak=False, dispatch_uid="evidence-chain-declaration")
        version_published.connect(chain_version, weak=False, dispatch_uid="evidence-chain-version")
        post_migrate.connect(ensure_installed, sender=self)
