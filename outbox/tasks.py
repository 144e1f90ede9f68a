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
def deliver_emails(*, email_ids: list[int]) -> dict:
    """A batch of messages over one connection to the mail server (see ``delivery.deliver_batch``)."""
    from .delivery import deliver_batch

    return deliver_batch(email_ids)


@task()
def run_periodic_job(*, name: str):
    from .schedule import run_job

    result = run_job(name)
    return result if isinstance(result, str | int | float | bool | type(None)) else None


@task()
def run_background_job(*, job_id: int) -> str:
    from .background import run_job

    return run_job(job_id)
