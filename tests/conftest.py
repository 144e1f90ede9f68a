import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

from assessments.content import load_questions
from guidance.content import load_guidance
from xliff.services import load_shipped_link_pairs

from .factories import CycleFactory, PrincipleFactory, QuestionFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file, not SQLite's shared in-memory database: the concurrency tests run
    requests side by side in threads, and only a file gives them production's locking (WAL, BEGIN IMMEDIATE, the busy
    timeout) instead of "table is locked" errors. One file per test process (mutation testing runs several at once),
    in memory-backed storage where there is some; the test runner deletes it at the end."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        folder = "/dev/shm" if os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
        database.setdefault("TEST", {})["NAME"] = os.path.join(folder, f"test_portal_{os.getpid()}.sqlite3")
    else:
        # One database per test process on a shared server too: a second run beside this one (CI, mutation testing)
        # would otherwise drop the database this one is using.
        database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_{os.getpid()}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database says it is disposable, so `flush` after each transactional test may empty its evidence
    (a database without the mark is refused: evidence/guard.py)."""
    from django.db import connection

    from evidence.guard import mark_disposable

    with django_db_blocker.unblock():
        mark_disposable(connection)


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path_factory):
    """The worker's files (HR's downloads) go to a folder of the test's own, never the worktree's."""
    settings.PORTAL_FILES_DIR = tmp_path_factory.mktemp("private-files")
    return settings.PORTAL_FILES_DIR


@pytest.fixture(autouse=True)
def _default_language():
    # The test client's requests leave their page's language active in this thread, as Django never resets it; each
    # test starts in English as pages serve it ("en", not LANGUAGE_CODE's "en-gb", which no URL prefix has).
    english = settings.LANGUAGES[0][0]
    translation.activate(english)
    yield
    translation.activate(english)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Each test's database reuses ids, so the per-process fragments ("local") are forgotten with the shared cache.
    cache.clear()
    caches["local"].clear()
    yield
    cache.clear()
    caches["local"].clear()


if os.environ.get("PORTAL_TEST_DATABASE_TEMPLATE"):
    # Mutation testing (tools/mutate.py) runs a few tests hundreds of times, each run in a new process: a copy of a
    # migrated SQLite file replaces migrating a fresh test database every time.
    @pytest.fixture(scope="session")
    def django_db_setup(django_db_blocker):
        from django.db import connections

        from evidence.guard import mark_disposable

        template = Path(os.environ["PORTAL_TEST_DATABASE_TEMPLATE"])
        copy = template.with_name(f"test_{template.stem}-{os.getpid()}{template.suffix}")
        shutil.copyfile(template, copy)
        connection = connections["default"]
        connection.close()
        connection.settings_dict["NAME"] = str(copy)
        with django_db_blocker.unblock():  # flush after a transactional test may then empty its evidence
            mark_disposable(connection)
        yield
        connection.close()
        for leftover in copy.parent.glob(copy.name + "*"):
            leftover.unlink()
        copy.unlink(missing_ok=True)


@pytest.fixture
def content(db):
    """The shipped guidance (published version 1) and question bank, as `make setup` loads them."""
    version = load_guidance()
    load_shipped_link_pairs()
    load_questions()
    return version


@pytest.fixture
def cycle(db):
    return CycleFactory(is_current=True)


@pytest.fixture
def staff(db):
    return UserFactory(username="staff.member", preferred_language="en")


@pytest.fixture
def welsh_staff(db):
    return UserFactory(username="aelod.staff", preferred_language="cy")


@pytest.fixture
def hr(db):
    return UserFactory(username="hr.officer", roles=["HR"])


@pytest.fixture
def editor(db):
    return UserFactory(username="content.editor", roles=["Content editors"], is_staff=True)


@pytest.fixture
def manager(db, staff):
    boss = UserFactory(username="line.manager")
    staff.line_manager = boss
    staff.save()
    return boss


@pytest.fixture
def small_bank(db):
    """Two active questions for each of the six principles."""
    principles = [PrincipleFactory(number=number) for number in range(1, 7)]
    return [QuestionFactory(principle=principle) for principle in principles for _copy in range(2)]


@pytest.fixture
def deliver_outbox(db, monkeypatch):
    """Run the background worker once, as `manage.py run_worker --once` does: whatever email is due goes out now.

    Inside a test's transaction the worker must not recycle the database connection (it does between polls in real
    life), or PostgreSQL would lose the test's data.
    """
    from django_tasks_db.management.commands import db_worker

    from outbox.worker import run_once

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return run_once
