from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "reports"

urlpatterns = [
    path(_("hr/"), views.dashboard, name="dashboard"),
    path(_("hr/staff/"), views.staff, name="staff"),
    path(_("hr/download/"), views.download, name="download"),
]
