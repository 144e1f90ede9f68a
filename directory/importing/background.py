"""The staff import's work done by the worker for a large file: checking it before HR see the preview, and applying
it once they confirm. Each is the same service as the immediate path, with the choices the person made."""


def check_import(job, progress) -> dict:
    """Read (if still unread) and check a large upload; the progress page then sends the person to ``continue_to``."""
    from django.contrib.auth import get_user_model

    from .. import services

    staff_import_id = job.params["staff_import"]
    try:
        next_page = services.check_staff_list(
            staff_import_id=staff_import_id, by=get_user_model().objects.get(pk=job.requested_by_id)
        )
    except Exception:
        services.forget_unread_upload(staff_import_id=staff_import_id)  # an unread file is no use to anyone
        raise
    return {"staff_import": staff_import_id, "continue_to": next_page}


def apply_import(job, progress) -> dict:
    from django.contrib.auth import get_user_model

    from .. import services

    params = job.params
    record, plan = services.apply_staff_import(
        staff_import_id=params["staff_import"],
        by=get_user_model().objects.get(pk=job.requested_by_id),
        keep_duplicates=params.get("keep_duplicates", []),
        rename_departments=params.get("rename_departments", []),
        deactivation_confirmed=params.get("deactivation_confirmed", False),
    )
    return dict(services.summary(plan), staff_import=record.pk)
