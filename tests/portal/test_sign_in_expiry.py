"""Failed sign-ins count against an address only for the cool-off (15 minutes): older failures no longer pause it.
The failures are written as axes records dated in the past, so the portal's own limit is what is tested, not axes'
clean-up of expired records."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from ..factories import UserFactory
from .test_proxy_and_spraying import PASSWORD, behind_balancer, sign_in  # noqa: F401 - behind_balancer is a fixture

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.66"


def failures_recorded(minutes_ago: float, *, total: int) -> None:
    """`total` failures from ADDRESS spread over usernames four at a time (under the per-username lockout)."""
    for number in range(total // 4):
        attempt = AccessAttempt.objects.create(
            username=f"sprayed.{minutes_ago}.{number}", ip_address=ADDRESS, user_agent="", http_accept="", path_info="/en/sign-in/",
            get_data="", post_data="", failures_since_start=4,
        )  # fmt: skip
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(minutes=minutes_ago))


@pytest.mark.usefixtures("behind_balancer")
@pytest.mark.parametrize(
    ("minutes_ago", "status"),
    [
        (settings.AXES_COOLOFF_TIME.total_seconds() / 60 - 1, 429),
        (settings.AXES_COOLOFF_TIME.total_seconds() / 60 + 1, 302),
    ],
)
def test_failures_from_an_address_expire_after_the_cool_off(client, minutes_ago, status):
    failures_recorded(minutes_ago, total=settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)
    person = UserFactory(username="gwen.jones")
    assert sign_in(client, person.username, PASSWORD, address=ADDRESS).status_code == status


@pytest.mark.usefixtures("behind_balancer")
def test_only_the_recent_failures_add_up(client):
    limit = settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    failures_recorded(30, total=limit)  # an old burst, long expired
    failures_recorded(5, total=limit - 4)  # recent: four short of the limit
    person = UserFactory(username="gwen.jones")
    assert sign_in(client, person.username, PASSWORD, address=ADDRESS).status_code == 302
