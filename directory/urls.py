from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "directory"

urlpatterns = [
    path(_("hr/import/"), views.import_upload, name="import"),
    path(_("hr/import/template/"), views.import_template, name="import-template"),
    path(_("hr/import/<int:pk>/columns/"), views.import_columns, name="import-columns"),
    path(_("hr/import/<int:pk>/"), views.import_preview, name="import-preview"),
    path(_("hr/import/<int:pk>/cancel/"), views.import_cancel, name="import-cancel"),
]
