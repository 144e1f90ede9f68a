"""A change made in one process reaches the figures another process keeps, with no Redis: `make run`'s server and
`manage.py import_staff` run beside it, as two real processes on one database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ..directory.helpers import GOOD
from ..factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# The "server": keeps its figures in its own memory and answers "figures" with the number of people in scope.
SERVER = """
import sys
import django
django.setup()
from cycles.models import Cycle
from reporting.selectors import dashboard
for line in sys.stdin:
    figures = dashboard(cycle=Cycle.objects.current())
    print(figures["totals"]["in_scope"], flush=True)
"""


def _shared_database_url(tmp_path: Path) -> str:
    """The test database as another process can open it: PostgreSQL's by name; SQLite's in-memory one copied to a
    file (this test's data is committed, so the copy holds it)."""
    if connection.vendor == "postgresql":
        details = connection.settings_dict
        return f"postgres://{details['USER']}@{details['HOST']}:{details['PORT']}/{details['NAME']}"
    path = tmp_path / "shared.sqlite3"
    import sqlite3

    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def _environment(database_url: str) -> dict:
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    environment.pop("REDIS_URL", None)
    return environment


def test_an_import_run_beside_the_server_changes_the_servers_figures_at_once(cycle, content, tmp_path):
    department = DepartmentFactory(code="EDU", name_en="Education", name_cy="Addysg")
    UserFactory.create_batch(2, department=department)
    environment = _environment(_shared_database_url(tmp_path))
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER],
        cwd=settings.BASE_DIR,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        server.stdin.write("figures\n")
        server.stdin.flush()
        assert server.stdout.readline().strip() == "2"
        server.stdin.write("figures\n")  # asked again: from its own memory now
        server.stdin.flush()
        assert server.stdout.readline().strip() == "2"

        staff_file = tmp_path / "staff.csv"
        staff_file.write_text(GOOD, encoding="utf-8")
        subprocess.run(
            [sys.executable, "manage.py", "import_staff", str(staff_file)],
            cwd=settings.BASE_DIR,
            env=environment,
            check=True,
            capture_output=True,
        )

        server.stdin.write("figures\n")
        server.stdin.flush()
        assert server.stdout.readline().strip() == "5"  # the three imported people, at once: no backstop to wait out
    finally:
        server.stdin.close()
        server.wait(timeout=30)
