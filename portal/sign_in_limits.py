"""A limit on failed sign-ins from one address over all usernames (password spraying), beside axes' lockout of one
username from one address. Both read the person's real address through the trusted proxies (see settings)."""

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def failures_from_address(ip_address: str) -> int:
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return (
        AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )


def address_is_throttled(request) -> bool:
    ip_address = client_address(request)
    if not ip_address:
        return False
    return failures_from_address(ip_address) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def client_address(request) -> str | None:
    """The person's own address behind TRUSTED_PROXY_COUNT proxies (each appends what connected to it to
    X-Forwarded-For, so the client is that many entries from the right), or behind the TRUSTED_PROXY_ADDRESSES (skip
    those from the right). Addresses further left were written by the client and are never believed."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if settings.TRUSTED_PROXY_ADDRESSES:
        chain = [*forwarded, remote]
        while len(chain) > 1 and chain[-1] in settings.TRUSTED_PROXY_ADDRESSES:
            chain.pop()
        return chain[-1]
    count = settings.TRUSTED_PROXY_COUNT
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return remote
