from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """HR's and line managers' view of a cycle: the dashboard, staff list, downloads, chasing, exemptions and
    reminders pages, My team, the charts and the question statistics. It stands above every other app."""

    name = "reporting"
    verbose_name = _("Reports")

    def ready(self):
        from . import signals

        signals.connect()
