"""Reads for the staff import's pages that must not load a whole uploaded file to show a little of it."""

from django.db.models.fields.json import KeyTransform

from .importing.reading import SAMPLE_ROWS, Table
from .models import StaffImport


def columns_sample(record: StaffImport) -> Table | None:
    """The file's headings and first rows, for the column-matching page: the database hands over only these (a
    200,000-row file's table is tens of megabytes of JSON to fetch and decode). None while the file is unread."""
    uploads = StaffImport.objects.filter(pk=record.pk)
    sample = uploads.values(sample=KeyTransform("sample", "table")).get()["sample"]
    if sample is None:  # kept before samples were, or not read yet
        table = uploads.values_list("table", flat=True).get()
        if not table:
            return None
        sample = {"headings": table["headings"], "rows": table["rows"][:SAMPLE_ROWS]}
    return Table(headings=sample["headings"], rows=sample["rows"], file_format="")
