"""`check --deploy` warnings for proxy settings that would let a client choose the address the lockout counts."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_trusted_proxies(app_configs=None, **kwargs):
    """A proxy count alone believes the last X-Forwarded-For entries from whoever connects: a client that reaches
    gunicorn directly writes them itself. Naming the proxies' addresses (and binding gunicorn so only they reach it)
    closes that."""
    if not settings.TRUSTED_PROXY_COUNT or settings.TRUSTED_PROXY_ADDRESSES:
        return []
    return [
        Warning(
            "TRUSTED_PROXY_COUNT is set without TRUSTED_PROXY_ADDRESSES: a client that reaches gunicorn directly "
            "chooses the address sign-in lockout and the SCIM token limit count, and so is never locked out.",
            hint="Set TRUSTED_PROXY_ADDRESSES to the load balancer's addresses (then TRUSTED_PROXY_COUNT is not "
            "needed) and bind gunicorn to 127.0.0.1 or a unix socket the proxy alone can reach.",
            id="portal.W001",
        )
    ]
