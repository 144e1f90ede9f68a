"""Times the staff import as HR run it: the preview (read and check the file) and the confirmation (check and write).

Run by ``make bench`` (bench/run.py's "imports" step) in a database of its own, once per size:
``python bench/import_probe.py ROWS`` prints one JSON object.
"""

import csv
import io
import json
import os
import sys
import time
from pathlib import Path

DEPARTMENTS = 40


def staff_list(rows: int, *, renamed_every: int = 0) -> bytes:
    """The portal's template with ``rows`` people in 40 departments, a manager for everyone but the first in each."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Staff number", "Email address", "First name", "Last name", "Department code",
                     "Department name (English)", "Department name (Welsh)", "Line manager’s staff number",
                     "Preferred language", "Start date", "Active"])  # fmt: skip
    for index in range(rows):
        department = index % DEPARTMENTS
        head = department  # the first person of each department manages the rest of it
        first = "Llŷr" if index % 7 == 0 else "Siân"
        if renamed_every and index % renamed_every == 0:
            first = "Gwenllïan"
        writer.writerow([
            f"W{index:06d}", f"person{index}@gov.wales", first, f"Jones-{index}", f"D{department:02d}",
            f"Department {department}", f"Adran {department}", "" if index == head else f"W{head:06d}",
            "Cymraeg" if index % 5 == 0 else "English", "2025-04-01", "yes",
        ])  # fmt: skip
    return buffer.getvalue().encode("utf-8")


def step_imports(target) -> dict:
    """bench/run.py's "imports" step: each size in a database of its own, in a fresh interpreter."""
    import subprocess

    results = {}
    for role, rows in (("imports", 6000), ("imports_large", int(os.environ.get("BENCH_IMPORT_ROWS", "60000")))):
        output = subprocess.run(
            [sys.executable, str(Path(__file__)), str(rows)], env=target.env(role), cwd=Path(__file__).resolve().parent.parent,
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        results[str(rows)] = json.loads(output.stdout.strip().splitlines()[-1])
    return results


def main() -> None:
    rows = int(sys.argv[1])
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from directory import services
    from directory.models import StaffImport

    call_command("migrate", verbosity=0, interactive=False)
    hr, _created = get_user_model().objects.get_or_create(username="bench.hr", defaults={"is_superuser": True})
    result = {"rows": rows}
    for name, data in (("first", staff_list(rows)), ("again_with_changes", staff_list(rows, renamed_every=10))):
        started = time.perf_counter()
        record = services.upload_staff_list(by=hr, data=data, filename="staff.csv", full=True)
        uploaded = time.perf_counter()
        plan = services.plan_for(StaffImport.objects.get(pk=record.pk))
        previewed = time.perf_counter()
        assert plan.is_valid, [str(error) for error in plan.errors[:5]]
        services.apply_staff_import(staff_import_id=record.pk, by=hr, deactivation_confirmed=True)
        confirmed = time.perf_counter()
        result[name] = {
            "upload_seconds": round(uploaded - started, 2),
            "preview_seconds": round(previewed - uploaded, 2),
            "confirm_seconds": round(confirmed - previewed, 2),
            "new": len(plan.new),
            "changed": len(plan.changed),
        }
    result["people"] = get_user_model().objects.filter(staff_number__startswith="W").count()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
