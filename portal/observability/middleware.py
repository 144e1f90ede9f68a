"""The outermost middleware: gives each request its id, times it, counts it and writes its one JSON log line."""

import logging
import time

from django.utils.log import log_response

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
            if response.status_code >= 400:
                # Django logs a 4xx/5xx that a view returned (rather than raised) only after every middleware has
                # returned, when the request's id is gone: logged here, its line carries the id (once: Django skips
                # a response logged already).
                log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
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
