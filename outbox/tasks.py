"""The background tasks (django-tasks, stored in the portal's database by django-tasks-db's backend)."""

from django_tasks import task


@task()
def deliver_email(*, email_id: int) -> str:
    from .delivery import claim, deliver

    email = claim(email_id)
    if email is None:
        return "skipped"
    return str(deliver(email))


@task()
def run_periodic_job(*, name: str):
    from .schedule import run_job

    result = run_job(name)
    return result if isinstance(result, str | int | float | bool | type(None)) else None
