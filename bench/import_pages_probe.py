"""Times each request of HR's import journey in the browser's order: upload, the columns page, the preview, confirm.

``python bench/import_pages_probe.py ROWS`` in a database of its own (DATABASE_URL; it is migrated here) prints one
JSON object: the seconds each request took inside Django, and the seconds the worker took between requests where a
progress page was shown. The directory first holds ROWS people (imported without the pages, not timed); the file
then changes one person in ten, so the preview compares every row with the directory, as a monthly import does.
A request over gunicorn's 30-second timeout is what issue #27 forbids; this shows which ones come near it.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.import_probe import staff_list  # noqa: E402


def main() -> None:
    rows = int(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("STAFF_IMPORT_MAX_BYTES", str(64 * 1024 * 1024))
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from directory import services
    from directory.forms import ColumnsForm
    from directory.models import StaffImport
    from outbox.worker import run_once

    call_command("migrate", verbosity=0, interactive=False)
    hr, _created = get_user_model().objects.get_or_create(username="bench.hr", defaults={"is_superuser": True})
    services.import_staff(data=staff_list(rows), full=True)  # the directory as it was before this month's file
    client = Client()
    client.force_login(hr)
    client.get("/en/hr/import/")  # the first request imports the URL configuration: not the import's cost
    timings: dict[str, float] = {}

    def timed(name, method, url, data=None):
        started = time.perf_counter()
        response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
        timings[name] = round(timings.get(name, 0) + time.perf_counter() - started, 2)
        assert response.status_code in (200, 302), (name, response.status_code)
        return response

    def follow(name, response):
        """Follow redirects; where a progress page shows, let the worker run (timed) and look again."""
        while response.status_code == 302:
            url = response["Location"]
            if "/progress/" in url:
                started = time.perf_counter()
                run_once()
                timings[f"{name}_worker"] = round(time.perf_counter() - started, 2)
            response = timed(f"{name}_next_page", "get", url)
        return response

    data = staff_list(rows, renamed_every=10)
    upload = SimpleUploadedFile("staff.csv", data)
    response = timed("upload_post", "post", "/en/hr/import/", {"file": upload, "upload": "", "full": "on"})
    follow("upload", response)
    record = StaffImport.objects.order_by("-pk").first()
    columns_url = f"/en/hr/import/{record.pk}/columns/"
    timed("columns_get", "get", columns_url)
    record.refresh_from_db()
    fields = {"continue": "", **ColumnsForm.initial_for(record.mapping, record.preset)}
    response = timed("columns_post", "post", columns_url, fields)
    follow("columns", response)
    preview_url = f"/en/hr/import/{record.pk}/"
    page = timed("preview_get", "get", preview_url)
    assert b"Confirm and import" in page.content, page.content[:2000]
    timed("preview_get_again", "get", preview_url)
    response = timed("confirm_post", "post", preview_url, {"confirm": "", "confirm_deactivation": "on"})
    follow("confirm", response)
    record.refresh_from_db()
    assert record.status == StaffImport.Status.APPLIED
    print(json.dumps({"rows": rows, "seconds": timings}))


if __name__ == "__main__":
    main()
