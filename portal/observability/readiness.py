"""Readiness: may the load balancer send this instance new requests?

Liveness (`/healthz`) says the process answers. Readiness (`/readyz`) also turns 503 while the instance drains, so a
deploy can take it out of the load balancer before stopping it: the deploy creates the drain file
(``PORTAL_DRAIN_FILE``), the load balancer's health check sees 503 and stops sending, the requests in flight finish,
and only then does gunicorn get SIGTERM (its graceful shutdown finishes what is left). A gunicorn worker that has
received SIGTERM answers 503 too (``mark_draining``), for a process manager that stops without the file.
"""

import os
import threading

from django.conf import settings

from portal.health import database_ok

_draining = threading.Event()


def mark_draining() -> None:
    _draining.set()


def draining() -> bool:
    path = getattr(settings, "PORTAL_DRAIN_FILE", "")
    return _draining.is_set() or bool(path and os.path.exists(path))


def report() -> tuple[dict, int]:
    if draining():
        return {"status": "draining"}, 503
    if not database_ok():
        return {"status": "unavailable", "database": "unavailable"}, 503
    return {"status": "ready", "database": "ok"}, 200
