from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0001_initial"),
        ("portal", "0005_department_moved_to_directory"),
        ("assessments", "0004_staffimport_moved_to_directory"),
    ]

    operations = [
        migrations.AlterModelTable(name="department", table=None),
        migrations.AlterModelTable(name="staffimport", table=None),
    ]
