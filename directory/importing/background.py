"""A large staff import confirmed on the preview page, applied by the worker: the same service as the immediate
path (all rows or none), with the choices the person made on the page."""


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
