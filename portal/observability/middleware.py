"""The outermost middleware: gives each request its id, times it, counts it and writes its one JSON log line."""

import logging
import time

from . import metrics
from .context import accept, request_id

logger = logging.getLogger("portal.requests")

UNRESOLVED = "unresolved"  # no URL pattern matched (a 404 before any view): one label, whatever the path


def view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name or UNRESOLVED) if match is not None else UNRESOLVED


class RequestObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(accept(request.headers.get("X-Request-ID")))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_name(request)
            metrics.observe(view=view, method=request.method, status=response.status_code, seconds=seconds)
            response.headers["X-Request-ID"] = request_id.get()
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,  # never the query string: it may carry tokens
                    "view": view,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            return response
        finally:
            request_id.reset(token)
