"""What `/healthz` reports: each dependency of this instance, so an operator can see a degraded one."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from outbox.selectors import backlog as outbox_backlog
from portal.health import cache_ok, database_ok


def report() -> tuple[dict, int]:
    """The report and its HTTP status: 503 only when the instance cannot serve (its database is unreachable). `build`
    is the release of the code this instance runs (BUILD, written by the deploy)."""
    build = settings.PORTAL_BUILD
    if not database_ok():
        return {"status": "unavailable", "database": "unavailable", "cache": "unknown", "build": build}, 503
    cache_state = "ok" if cache_ok() else "unavailable"
    try:
        backlog = outbox_backlog()
    except DatabaseError:
        return {"status": "unavailable", "database": "unavailable", "cache": cache_state, "build": build}, 503
    body = {
        "status": "ok" if cache_state == "ok" else "degraded",
        "database": "ok",
        "cache": cache_state,
        "outbox": backlog,
        "build": build,
    }
    return body, 200


@login_not_required
@never_cache
def healthz(request):
    """For the load balancer and operators: database, cache and outbox backlog; 503 only when the database is down."""
    body, status = report()
    return JsonResponse(body, status=status)
