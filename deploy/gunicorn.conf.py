"""gunicorn settings for the portal behind a load balancer (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

Bind and worker count come from the command line or GUNICORN_CMD_ARGS. With PROMETHEUS_MULTIPROC_DIR set (a directory
private to this instance), /metrics adds up every worker's counts; the directory is emptied when gunicorn starts and a
dead worker's gauges are dropped.
"""

import os
import shutil
import signal
from pathlib import Path

graceful_timeout = 30  # SIGTERM: the requests in flight have this long to finish
timeout = 60
accesslog = None  # the portal writes its own JSON line per request (portal.requests), with the request id


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True)


def post_worker_init(worker):
    """Warm up before taking requests, so the load balancer's first requests to a new instance are not the ones
    that import every view (seconds on a busy machine); and on SIGTERM answer /readyz with 503 while finishing."""
    warm_up()
    previous = signal.getsignal(signal.SIGTERM)

    def draining_then_exit(signum, frame):
        from portal.observability.readiness import mark_draining

        mark_draining()
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, draining_then_exit)


def warm_up() -> None:
    import contextlib

    from django.test import Client
    from django.urls import get_resolver

    get_resolver()._populate()  # imports every app's views
    with contextlib.suppress(Exception):  # the database may be down: the instance then starts cold, not at all is worse
        Client(raise_request_exception=False).get("/en/sign-in/", headers={"host": "127.0.0.1"})


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
