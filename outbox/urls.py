from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "outbox"

urlpatterns = [
    path(_("hr/progress/<int:pk>/"), views.job_progress, name="job-progress"),
    path(_("hr/progress/<int:pk>/file/"), views.job_file, name="job-file"),
]
