from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Staff directory")

    def ready(self):
        from outbox import kinds
        from outbox.models import BackgroundJob
        from portal.roles import IMPORT_STAFF

        from .importing.background import apply_import, check_import

        kinds.register(
            BackgroundJob.Kind.STAFF_IMPORT,
            kinds.JobKind(
                handler=apply_import,
                permission=IMPORT_STAFF,
                working_title=_("Importing the staff list"),
                done_title=_("Staff list imported"),
                template="directory/jobs/import.html",
                return_to="directory:import",
                one_transaction=True,
            ),
        )
        kinds.register(
            BackgroundJob.Kind.STAFF_IMPORT_PLAN,
            kinds.JobKind(
                handler=check_import,
                permission=IMPORT_STAFF,
                working_title=_("Checking the staff list"),
                done_title=_("Checking the staff list"),  # done, it sends the person on to the page it prepared
                template="directory/jobs/import_check.html",
                return_to="directory:import",
            ),
        )
