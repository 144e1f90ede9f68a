from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import chase_views, views

app_name = "reports"

urlpatterns = [
    path(_("hr/"), views.dashboard, name="dashboard"),
    path(_("hr/staff/"), views.staff, name="staff"),
    path(_("hr/staff/remind/"), chase_views.chase_preview, name="chase"),
    path(_("hr/staff/remind/send/"), chase_views.chase_send, name="chase-send"),
    path(_("hr/download/"), views.download, name="download"),
    path(_("hr/cycles/<int:pk>/close/"), views.close_cycle, name="close-cycle"),
]
