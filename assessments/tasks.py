"""Background tasks for the annual cycle (run by ``manage.py run_worker``)."""

from django_tasks import task


@task()
def tell_people_to_confirm_again(*, version_id: int, cycle_id: int) -> int:
    """Email everyone a newly published version asks to confirm again (see ``new_version``)."""
    from cycles.models import Cycle
    from guidance.models import GuidanceVersion

    from .new_version import email_people_asked_again

    return email_people_asked_again(
        version=GuidanceVersion.objects.get(pk=version_id), cycle=Cycle.objects.get(pk=cycle_id)
    )
