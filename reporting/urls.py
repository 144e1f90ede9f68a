from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import chase_views, exemption_views, statistics_views, team_views, views

app_name = "reporting"

urlpatterns = [
    path(_("hr/"), views.dashboard, name="dashboard"),
    path(_("hr/staff/"), views.staff, name="staff"),
    path(_("hr/staff/remind/"), chase_views.chase_preview, name="chase"),
    path(_("hr/staff/remind/send/"), chase_views.chase_send, name="chase-send"),
    path(_("hr/download/"), views.download, name="download"),
    path(_("hr/cycles/<int:pk>/close/"), views.close_cycle, name="close-cycle"),
    path(_("hr/exemptions/"), exemption_views.exemptions, name="exemptions"),
    path(_("hr/exemptions/new/"), exemption_views.exemption_add, name="exemption-add"),
    path(_("hr/exemptions/<int:pk>/end/"), exemption_views.exemption_end, name="exemption-end"),
    path(_("hr/exemptions/<int:pk>/undo/"), exemption_views.exemption_undo, name="exemption-undo"),
    path(_("hr/reminders/"), exemption_views.reminders_today, name="reminders"),
    path(_("hr/staff/<int:pk>/reminders/"), exemption_views.reminder_history, name="reminder-history"),
    path(_("my-team/"), team_views.my_team, name="my-team"),
    path(_("my-team/remind/"), team_views.team_chase, name="team-chase"),
    path(_("my-team/remind/send/"), team_views.team_chase_send, name="team-chase-send"),
    path(_("editors/question-statistics/"), statistics_views.question_statistics, name="statistics"),
    path(
        _("editors/question-statistics/download/"),
        statistics_views.question_statistics_download,
        name="statistics-download",
    ),
]
