"""The dashboard's cached figures are forgotten as soon as something they count changes, so HR never see a banner
saying "2 new" above tiles with the old count. Bulk writes send no model signals: the staff import sends the
directory's ``staff_changed`` once it has committed."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .selectors import forget_dashboard

# A person's save changes the figures only through these fields (signing in saves last_login, which does not).
COUNTED_FIELDS = {"is_active", "department", "staff_number", "start_date", "left_on"}


def _forget_after_commit(**_kwargs) -> None:
    transaction.on_commit(forget_dashboard)


def _person_saved(update_fields=None, **kwargs) -> None:
    if update_fields is None or COUNTED_FIELDS & set(update_fields):
        _forget_after_commit()


def _staff_changed(**_kwargs) -> None:
    forget_dashboard()  # sent after the import committed


def connect() -> None:
    from directory.signals import staff_changed

    staff_changed.connect(_staff_changed, dispatch_uid="dashboard-staff-import")
    post_save.connect(_person_saved, sender=get_user_model(), dispatch_uid="dashboard-person")
    # A cycle's dates, joiners' days and audience (its departments) decide who is counted and who is overdue.
    from cycles.models import Cycle

    m2m_changed.connect(_forget_after_commit, sender=Cycle.departments.through, dispatch_uid="dashboard-audience")
    for model in (
        "assessments.Acknowledgement",
        "assessments.Attempt",
        "cycles.Cycle",
        "directory.Department",
        "cycles.Exemption",
    ):
        post_save.connect(_forget_after_commit, sender=model, dispatch_uid=f"dashboard-save-{model}")
        post_delete.connect(_forget_after_commit, sender=model, dispatch_uid=f"dashboard-delete-{model}")
