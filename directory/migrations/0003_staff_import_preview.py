"""A large staff list is read and checked by the worker: the file waits in ``upload``, its size is ``row_count``, and
what its preview shows is kept in ``preview``."""

from django.db import migrations, models


def count_rows(apps, schema_editor):
    """Uploads waiting for confirmation when this runs: their size decides whether the worker applies them."""
    StaffImport = apps.get_model("directory", "StaffImport")
    for record in StaffImport.objects.filter(status="previewed").iterator(chunk_size=1):
        record.row_count = len(record.table.get("rows", ()))
        record.save(update_fields=["row_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="staffimport",
            name="preview",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="staffimport",
            name="row_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="staffimport",
            name="upload",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.RunPython(count_rows, migrations.RunPython.noop, elidable=True),
    ]
