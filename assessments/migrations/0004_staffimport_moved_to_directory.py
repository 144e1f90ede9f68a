# StaffImport now lives in directory/ (same table, renamed by directory 0002); only Django's state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0003_initial"),
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="StaffImport")]),
    ]
