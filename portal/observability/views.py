"""Readiness and metrics: for the load balancer and Prometheus, answered without signing in."""

import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from . import readiness


@login_not_required
@never_cache
def readyz(request):
    """503 while this instance drains or cannot reach its database: the load balancer stops sending it requests."""
    body, status = readiness.report()
    response = JsonResponse(body, status=status)
    # A 503 here is the answer asked for, not a server error: without this, Django's request logger writes an ERROR
    # line for each health check (every second, per instance) all through a deploy's drain. The request's own log
    # line (portal.requests) still records it.
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's own marker (django.utils.log)
    return response


def scraper_allowed(request) -> bool:
    """Only a scraper on an allowed network, talking to the instance directly: a request that came through the load
    balancer carries X-Forwarded-For, and is refused whatever the balancer's own address is."""
    if "X-Forwarded-For" in request.headers:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(allowed, strict=False) for allowed in settings.METRICS_ALLOWED_NETWORKS)
