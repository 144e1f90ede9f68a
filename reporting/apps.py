from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """HR's and line managers' view of a cycle: the dashboard, staff list, downloads, chasing, exemptions and
    reminders pages, My team, the charts and the question statistics. It stands above every other app."""

    name = "reporting"
    verbose_name = _("Reports")

    def ready(self):
        from outbox import kinds
        from outbox.models import BackgroundJob
        from portal.roles import VIEW_HR_REPORTS

        from . import signals
        from .background import staff_csv, staff_xlsx

        signals.connect()
        for kind, handler, content_type in (
            (BackgroundJob.Kind.STAFF_CSV, staff_csv, "text/csv; charset=utf-8"),
            (
                BackgroundJob.Kind.STAFF_XLSX,
                staff_xlsx,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        ):
            kinds.register(
                kind,
                kinds.JobKind(
                    handler=handler,
                    permission=VIEW_HR_REPORTS,
                    working_title=_("Preparing the staff list download"),
                    done_title=_("Your download is ready"),
                    template="reporting/jobs/download.html",
                    return_to="reporting:dashboard",
                    content_type=content_type,
                ),
            )
