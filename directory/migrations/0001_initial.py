# Departments and staff imports moved here from portal/ and assessments/: the state is created without touching the
# database (the tables keep their old names until 0002 renames them), so no data is lost.

import django.db.models.deletion
import django.utils.timezone
import portal.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("portal", "0003_role_change"),
        ("assessments", "0003_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Department",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="code")),
                        ("name_en", models.CharField(max_length=200, verbose_name="name (English)")),
                        ("name_cy", models.CharField(max_length=200, verbose_name="name (Welsh)")),
                    ],
                    options={
                        "verbose_name": "department",
                        "verbose_name_plural": "departments",
                        "ordering": ["name_en"],
                        "db_table": "portal_department",
                    },
                    bases=(portal.models.Bilingual, models.Model),
                ),
                migrations.CreateModel(
                    name="StaffImport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("uploaded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("filename", models.CharField(max_length=255)),
                        ("content", models.TextField()),
                        ("full", models.BooleanField(default=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[("previewed", "Previewed"), ("applied", "Applied")],
                                default="previewed",
                                max_length=10,
                            ),
                        ),
                        ("applied_at", models.DateTimeField(blank=True, null=True)),
                        ("summary", models.JSONField(default=dict)),
                        (
                            "uploaded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "staff import",
                        "verbose_name_plural": "staff imports",
                        "ordering": ["-uploaded_at"],
                        "db_table": "assessments_staffimport",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
