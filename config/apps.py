from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectConfig(AppConfig):
    """The project package: settings, the root URLs, health and metrics, set-up and demo data. It stands above every
    app and may import them all; no app imports it."""

    name = "config"
    verbose_name = _("Portal set-up")
