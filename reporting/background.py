"""HR's downloads made by the worker for a large organisation: the same export functions as the immediate download,
written to a private file instead of the response, so the two give identical files."""

from assessments.status import people_in_report
from cycles.models import Cycle

from . import exports, workbook

CHUNK = 1024 * 1024


def _cycle_and_filter(job) -> tuple[Cycle, bool]:
    return Cycle.objects.get(pk=job.params["cycle"]), bool(job.params.get("outstanding"))


def _report_size(cycle: Cycle, outstanding: bool) -> int | None:
    # The outstanding-only file's length is only known once written: then the page counts rows without a percentage.
    return None if outstanding else people_in_report(cycle=cycle).count()


def staff_csv(job, progress) -> dict:
    from outbox.background import PROGRESS_EVERY, write_file

    cycle, outstanding = _cycle_and_filter(job)
    progress(0, _report_size(cycle, outstanding))

    def encoded():
        for count, line in enumerate(exports.csv_lines(cycle=cycle, outstanding_only=outstanding)):
            if count > 2 and count % PROGRESS_EVERY == 0:
                progress(count - 2)  # less the byte-order mark and the headings
            yield line.encode()

    write_file(job, encoded(), filename=exports.filename(cycle=cycle, outstanding_only=outstanding, extension="csv"))
    return {}


def staff_xlsx(job, progress) -> dict:
    from outbox.background import write_file

    cycle, outstanding = _cycle_and_filter(job)
    progress(0, _report_size(cycle, outstanding))
    with workbook.xlsx_file(cycle=cycle, outstanding_only=outstanding) as made:
        write_file(
            job,
            iter(lambda: made.read(CHUNK), b""),
            filename=exports.filename(cycle=cycle, outstanding_only=outstanding, extension="xlsx"),
        )
    return {}
