"""Hand-written data migration (keep when squashing): published versions take a copy of their principles' text."""

from django.db import migrations


def copy_principle_text(apps, schema_editor):
    Section = apps.get_model("guidance", "Section")
    for section in Section.objects.filter(version__status="published", principle__isnull=False).select_related(
        "principle"
    ):
        Section.objects.filter(pk=section.pk).update(
            principle_name_en=section.principle.name_en,
            principle_name_cy=section.principle.name_cy,
            principle_summary_en=section.principle.summary_en,
            principle_summary_cy=section.principle.summary_cy,
        )


class Migration(migrations.Migration):
    dependencies = [("guidance", "0004_section_principle_text_when_published")]

    operations = [migrations.RunPython(copy_principle_text, migrations.RunPython.noop)]
