from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import record_views, views

app_name = "assessments"

urlpatterns = [
    path(_("quiz/"), views.quiz_start, name="quiz-start"),
    path(_("quiz/<int:attempt>/question/<int:position>/"), views.quiz_question, name="quiz-question"),
    path(_("quiz/<int:attempt>/check-your-answers/"), views.quiz_check, name="quiz-check"),
    path(_("quiz/<int:attempt>/results/"), views.quiz_results, name="quiz-results"),
    path(_("declaration/"), views.declaration, name="declaration"),
    path(_("declaration/<str:reference>/"), views.confirmation, name="confirmation"),
    path(_("declaration/<str:reference>/pdf/"), record_views.confirmation_pdf, name="confirmation-pdf"),
    path(_("your-record/"), views.record, name="record"),
]
