from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "insight"

urlpatterns = [
    path(_("editors/question-statistics/"), views.question_statistics, name="statistics"),
    path(_("editors/question-statistics/download/"), views.question_statistics_download, name="statistics-download"),
]
