from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "guidance"

urlpatterns = [
    path(_("guidance/"), views.contents, name="contents"),
    path(_("guidance/print/"), views.print_view, name="print"),
    path(_("guidance/what-changed/"), views.changes, name="changes"),
    path(_("guidance/principles/"), views.principles, name="principles"),
    path(_("guidance/principles/<slug:slug>/"), views.principle, name="principle"),
    path(_("guidance/version/<int:number>/"), views.contents, name="version-contents"),
    path(_("guidance/version/<int:number>/print/"), views.print_view, name="version-print"),
    path(_("guidance/version/<int:number>/changes/"), views.version_changes, name="version-changes"),
    path(_("guidance/version/<int:number>/<slug:slug>/"), views.section, name="version-section"),
    path(_("guidance/<slug:slug>/"), views.section, name="section"),
]
