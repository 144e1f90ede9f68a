from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "cycles"

urlpatterns = [
    path(_("hr/exemptions/"), views.exemptions, name="exemptions"),
    path(_("hr/exemptions/new/"), views.exemption_add, name="exemption-add"),
    path(_("hr/exemptions/<int:pk>/end/"), views.exemption_end, name="exemption-end"),
    path(_("hr/exemptions/<int:pk>/undo/"), views.exemption_undo, name="exemption-undo"),
    path(_("hr/reminders/"), views.reminders_today, name="reminders"),
    path(_("hr/staff/<int:pk>/reminders/"), views.reminder_history, name="reminder-history"),
]
