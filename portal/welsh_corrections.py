"""Corrections to the shipped Welsh (issue 26's review) for portals that loaded the text before they were made.

`load_questions` and `load_legal_pages` never overwrite what is already loaded, because editors own it from then on;
so `setup_portal` applies each correction here to any stored Welsh that still contains the old wording, and only
that wording changes (an editor's other changes stay). Published guidance is evidence and is never rewritten: its
corrections reach staff in the next version an editor publishes (guidance/content/guidance_v1.json has them for new
portals)."""

from django.db import transaction

# (app label.model, field, old wording, new wording)
CORRECTIONS = [
    ("assessments.option", "feedback_cy", "Os gall pobl weithio allan pwy", "Os gall pobl ddyfalu pwy"),
    (
        "assessments.option",
        "text_cy",
        "Postiwch ef, ond gosodwch ef fel mai dim ond ffrindiau sy'n gallu ei weld.",
        "Postiwch ef, ond dewiswch osodiadau sy'n golygu mai dim ond ffrindiau sy'n gallu ei weld.",
    ),
    (
        "assessments.option",
        "feedback_cy",
        "gadw cyfrineiriau neu fod wedi cael ei ymyrryd ag ef.",
        "gadw cyfrineiriau, neu gall rhywun fod wedi ymyrryd ag ef.",
    ),
    ("assessments.question", "prompt_cy", "disgrifiad plaen o gyfarfod", "disgrifiad di-flewyn-ar-dafod o gyfarfod"),
    ("assessments.option", "feedback_cy", "feirniadaeth o'r llywodraeth", "feirniadaeth ar y llywodraeth"),
    (
        "assessments.option",
        "text_cy",
        "Postiwch y stori, ond dim ond i ffrindiau agos.",
        "Postiwch y stori, ond dangoswch hi i ffrindiau agos yn unig.",
    ),
    ("legal.legalpage", "body_cy", "eich ymdrechion i ateb", "eich ymgeisiau i ateb"),
    (
        "legal.legalpage",
        "body_cy",
        "ac ymdrechion aflwyddiannus i fewngofnodi",
        "ac ymgeisiau aflwyddiannus i fewngofnodi",
    ),
    ("legal.legalpage", "body_cy", "wedi eich esemptio o gylch", "wedi eich esemptio rhag cylch"),
]


@transaction.atomic
def apply_welsh_corrections() -> int:
    """Replace each old wording still stored; returns how many records changed. Safe to run again."""
    from django.apps import apps

    changed = 0
    for label, field, old, new in CORRECTIONS:
        model = apps.get_model(label)
        for record in model.objects.select_for_update().filter(**{f"{field}__contains": old}):
            setattr(record, field, getattr(record, field).replace(old, new))
            record.save(update_fields=[field])  # simple-history records the change, as for an editor's
            changed += 1
    return changed
