from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XliffConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "xliff"
    verbose_name = _("Translation files")
