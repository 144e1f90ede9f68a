"""Whole journeys of HR and content editors in Chromium: import and download, exemptions, publishing a version that
asks everyone to confirm again, and the translation round trip."""

import io

import pytest
from django.core import mail
from openpyxl import load_workbook

from outbox.worker import run_once as run_worker_once

from ..factories import acknowledge_after_reading
from .conftest import check, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_imports_fixes_and_downloads(page, live_server, seeded):
    from assessments.services import start_attempt, submit_attempt
    from portal.models import User

    from ..assessments.test_quiz import answer_all

    base = live_server.url
    header = (
        "staff_number,email,first_name,last_name,department_code,department_name_en,department_name_cy,"
        "line_manager_staff_number,preferred_language,active\n"
    )
    rows = "3001,ffion@gov.wales,Ffion,Jones,EDU,Education,Addysg,,cy,yes\n3002,ioan@gov.wales,Ioan,Rees,EDU,Education,Addysg,3001,xx,yes\n"
    sign_in(page, base, "hr")
    page.goto(base + "/en/hr/import/")
    page.set_input_files(
        "#id_file", files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": (header + rows).encode()}]
    )
    page.click("button[name=upload]")
    page.wait_for_load_state()
    assert "Match the columns" in page.inner_text("h1")
    page.click("button[name=continue]")
    page.wait_for_load_state()
    assert "Row 3: “xx” is not a language the portal knows." in page.inner_text(".govuk-error-summary")
    screenshot(page, "journey-hr-01-import-errors")
    assert not User.objects.filter(staff_number="3001").exists()
    fixed = rows.replace(",xx,", ",en,")
    page.click("text=Upload a corrected file")
    page.wait_for_load_state()
    assert not page.is_checked("#id_full")  # "full staff list" is off unless HR choose it
    page.set_input_files(
        "#id_file", files=[{"name": "staff.csv", "mimeType": "text/csv", "buffer": (header + fixed).encode()}]
    )
    page.click("button[name=upload]")
    page.wait_for_load_state()
    page.click("button[name=continue]")
    page.wait_for_load_state()
    assert "Check the changes before you import" in page.inner_text("h1")
    screenshot(page, "journey-hr-02-import-preview")
    if page.locator("#id_accept_departments").count():
        page.check("#id_accept_departments")
    page.click("text=Confirm and import")
    page.wait_for_load_state()
    assert "Staff list imported: 2 new" in page.inner_text("main")
    ffion = User.objects.get(staff_number="3001")
    attempt = start_attempt(user=ffion, cycle=seeded["cycle"], language="cy")
    answer_all(attempt, ffion, correct=6)
    submit_attempt(user=ffion, attempt_id=attempt.pk, language="cy")
    record, _created = acknowledge_after_reading(
        user=ffion, cycle=seeded["cycle"], version=seeded["version"], language="cy"
    )
    page.goto(base + "/en/hr/")
    screenshot(page, "journey-hr-03-dashboard")
    with page.expect_download() as csv_download:
        page.click("a[href*='format=csv']:not([href*='outstanding'])")
    csv_text = csv_download.value.path().read_text(encoding="utf-8-sig")
    assert "3001" in csv_text and record.reference in csv_text
    with page.expect_download() as xlsx_download:
        page.click("a[href*='format=xlsx']:not([href*='outstanding'])")
    workbook = load_workbook(io.BytesIO(xlsx_download.value.path().read_bytes()), read_only=True)
    rows_found = [row for row in workbook["All staff"].iter_rows(values_only=True) if row and row[0] == "3001"]
    assert rows_found and rows_found[0][8] == "Completed" and rows_found[0][16] == record.reference


def test_editor_publishes_a_version_that_asks_everyone_again(page, live_server, seeded):
    """The editor changes the Security page, sees what will change in both languages, publishes; staff who confirmed
    version 1 see what changed, marked up, in their own language."""
    from assessments.services import start_attempt, submit_attempt
    from guidance.models import GuidanceVersion

    from ..assessments.test_quiz import answer_all

    for person in (seeded["people"]["staff"], seeded["people"]["staff_cy"]):
        attempt = start_attempt(user=person, cycle=seeded["cycle"], language=person.preferred_language)
        answer_all(attempt, person, correct=6)
        submit_attempt(user=person, attempt_id=attempt.pk, language=person.preferred_language)
        acknowledge_after_reading(
            user=person, cycle=seeded["cycle"], version=seeded["version"], language=person.preferred_language
        )
    base = live_server.url
    sign_in(page, base, "editor", language="en")
    page.goto(base + "/en/admin/guidance/guidanceversion/")
    page.click("text=Start a new draft")
    page.wait_for_load_state()
    page.check("#id_requires_reacknowledgement")
    page.fill("#id_change_summary_en", "The Security section now covers two-step verification.")
    page.fill("#id_change_summary_cy", "Mae'r adran Diogelwch bellach yn cynnwys dilysu dau gam.")
    security = page.locator("textarea[id$='-body_en']").nth(8)
    security.fill(security.input_value().replace("a strong password", "a long, unique password"))
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    # Only the English changed: the Welsh must be reviewed before the version can be published.
    assert "the English changed since version 1 but the Welsh did not" in page.inner_text("#content-main")
    page.click("a.app-admin-publish")
    page.wait_for_load_state()
    assert "This draft cannot be published yet" in page.inner_text("#content-main")
    page.go_back()
    welsh = page.locator("textarea[id$='-body_cy']").nth(8)
    welsh.fill(welsh.input_value().replace("gyfrinair cryf", "gyfrinair hir, unigryw"))
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    page.click("a.app-admin-publish")
    page.wait_for_load_state()
    confirmation = page.inner_text("#content-main")
    assert "Check what will change for staff when version 2 replaces version 1." in confirmation
    assert page.locator("section[lang=en] ins.app-diff__ins", has_text="long, unique").count() == 1
    assert page.locator("section[lang=cy] ins.app-diff__ins", has_text="hir, unigryw").count() == 1
    screenshot(page, "journey-editor-publish-confirmation")
    assert not GuidanceVersion.objects.get(number=2).is_published
    # What publishing will do, in both languages, and a box the editor must tick (the browser will not submit without).
    assert "will need to read what changed and confirm again" in page.inner_text("#consequence-en")
    assert "ddarllen beth sydd wedi newid a chadarnhau eto" in page.inner_text("#consequence-cy")
    page.click("input[type=submit].app-admin-publish")
    assert not GuidanceVersion.objects.get(number=2).is_published
    page.check("#consequence_understood")
    page.click("input[type=submit].app-admin-publish")
    page.wait_for_load_state()
    assert GuidanceVersion.objects.get(number=2).is_published
    run_worker_once()  # the worker emails everyone who must confirm again, in their own language first
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[seeded["people"]["staff"].email].startswith("The social media guidance has changed")
    assert not subjects[seeded["people"]["staff_cy"].email].startswith("The social media guidance")
    page.context.clear_cookies()
    sign_in(page, base, "staff")
    home = page.inner_text("main")
    assert "Confirm again" in home
    assert "The Security section now covers two-step verification." in home
    assert "Sections changed since version 1:" in home and "Security" in home
    screenshot(page, "journey-editor-staff-confirm-again")
    page.click("text=See what changed since version 1")
    page.wait_for_load_state()
    changed = page.locator("section.app-diff")
    assert changed.count() == 1
    assert "Added: long, unique" in changed.locator("ins").first.text_content()
    assert "Removed: strong" in changed.locator("del").first.text_content()
    # Not colour alone: added words are underlined and removed words struck through.
    assert "underline" in changed.locator("ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in changed.locator("del").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    screenshot(page, "journey-staff-what-changed")
    page.context.clear_cookies()
    sign_in(page, base, "staff.cy", language="cy")
    assert "Adrannau sydd wedi newid ers fersiwn 1:" in page.inner_text("main")
    page.click("text=Gweld beth sydd wedi newid ers fersiwn 1")
    page.wait_for_load_state()
    assert "Ychwanegwyd: hir, unigryw" in page.locator("section.app-diff ins").first.text_content()
    assert "Cyflwyniad" in page.inner_text("main")


def test_hr_exempts_someone_and_a_joiner_sees_their_own_due_date(page, live_server, seeded):
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import override

    base = live_server.url
    today = timezone.localdate()
    cycle = seeded["cycle"]
    cycle.due_on = today + timedelta(days=10)
    cycle.save()
    alex, sian = seeded["people"]["staff"], seeded["people"]["staff_cy"]
    sian.start_date = today - timedelta(days=3)  # joined after the cycle opened: 28 days from her start
    sian.save()

    # HR find Alex in the staff list and exempt him for long-term leave.
    sign_in(page, base, "hr")
    page.goto(base + "/en/hr/staff/")
    page.get_by_role("link", name=f"Exempt {alex}", exact=True).click()
    page.wait_for_load_state()
    assert page.input_value("#id_staff_number") == alex.staff_number
    page.check("input[name=reason][value=long_term_leave]")
    ends = today + timedelta(days=90)
    page.fill("#id_ends_on_0", str(ends.day))
    page.fill("#id_ends_on_1", str(ends.month))
    page.fill("#id_ends_on_2", str(ends.year))
    page.click("button[name=exempt]")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert f"{alex.get_full_name()} is exempt from {cycle.name} until {date_format(ends, 'DATE_FORMAT')}" in main
    assert "Long-term leave" in main and "Gareth Price" in main  # who recorded it
    screenshot(page, "journey-hr-exemption")
    page.goto(base + "/en/hr/")
    assert "1 person exempt" in page.inner_text("main")
    page.goto(base + "/en/hr/reminders/")
    assert alex.get_full_name() not in page.inner_text("main")
    page.context.clear_cookies()

    # Alex's home page says he is exempt and until when.
    sign_in(page, base, "staff")
    assert f"HR have exempted you from {cycle.name} until {date_format(ends, 'DATE_FORMAT')}" in page.inner_text("main")
    page.context.clear_cookies()

    # Siân, who joined three days ago, sees her own date, in Welsh, not the cycle's.
    sign_in(page, base, "staff.cy", language="cy")
    own_due = sian.start_date + timedelta(days=cycle.joiner_days)
    with override("cy"):
        expected = f"Cwblhewch y tasgau hyn erbyn {date_format(own_due, 'DATE_FORMAT')}."
    text = page.inner_text("main")
    assert expected in text and "28 diwrnod" in text
    screenshot(page, "journey-joiner-own-due-date")


def test_editor_sends_a_draft_for_translation_and_brings_the_welsh_back(page, live_server, seeded, tmp_path):
    """Export → a translation tool edits the file (here a plain XML library) → import, preview in both languages,
    apply; a broken file is refused with its problems and changes nothing."""
    import xml.etree.ElementTree as ET

    from guidance.models import Section
    from guidance.services import start_draft

    namespace = "urn:oasis:names:tc:xliff:document:1.1"
    ET.register_namespace("", namespace)
    draft = start_draft()
    security = draft.sections.get(slug_en="security")
    security.body_en = security.body_en.replace("a strong password", "a long, unique password")
    security.save()
    draft.change_summary_en = "Security asks for long, unique passwords."
    draft.save()
    base = live_server.url
    sign_in(page, base, "editor", language="cy")
    page.goto(f"{base}/cy/admin/guidance/guidanceversion/{draft.pk}/change/")
    page.click("text=Ffeil gyfieithu (XLIFF)")
    page.wait_for_load_state()
    check(page, "admin-translation", "cy")
    with page.expect_download() as download:
        page.click("text=Lawrlwytho testun newydd a thestun sydd wedi newid")
    exported = download.value.path().read_bytes()
    assert download.value.suggested_filename.startswith("social-media-guidance-v2-new-and-changed-en-cy-")

    def translated(text_for_security):
        root = ET.fromstring(exported)
        for unit in root.iter(f"{{{namespace}}}trans-unit"):
            target = unit.find(f"{{{namespace}}}target")
            if target is None:
                target = ET.SubElement(unit, f"{{{namespace}}}target")
            if unit.get("id") == f"section/{security.pk}/body":
                target.text = text_for_security
            elif unit.get("id") == "version/2/change_summary":
                target.text = "Mae Diogelwch yn gofyn am gyfrineiriau hir, unigryw."
        path = tmp_path / "cyfieithiad.xlf"
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
        return path

    good_welsh = security.body_cy.replace("gyfrinair cryf", "gyfrinair hir, unigryw")
    broken = translated(good_welsh.replace("## ", ""))
    page.set_input_files("#id_file", str(broken))
    page.click("input[type=submit][value='Lanlwytho a gwirio']")
    page.wait_for_load_state()
    assert "Ni ellir defnyddio'r Gymraeg o'r ffeil hon" in page.inner_text("#content-main")
    assert "yr un nifer o benawdau" in page.inner_text(".errornote")  # mutated after "o"
    assert Section.objects.get(pk=security.pk).body_cy == security.body_cy
    page.goto(f"{base}/cy/admin/xliff/translationimport/version/{draft.pk}/")
    page.set_input_files("#id_file", str(translated(good_welsh)))
    page.click("input[type=submit][value='Lanlwytho a gwirio']")
    page.wait_for_load_state()
    preview = page.inner_text("#content-main")
    assert "Bydd rhoi'r ffeil hon ar waith yn newid Cymraeg 2 destun." in preview
    assert "a long, unique password" in preview  # the English beside the Welsh
    assert page.locator("div[lang=cy] del", has_text="cryf").count() == 1  # the words replaced, struck through
    assert page.locator("div[lang=cy] ins", has_text="hir, unigryw").count() == 2  # the section and What changed
    check(page, "admin-translation-preview", "cy")
    screenshot(page, "journey-editor-translation-preview")
    page.click("input[type=submit].app-admin-publish")
    page.wait_for_load_state()
    assert "Mae'r Gymraeg o cyfieithiad.xlf yn ei lle: newidiwyd 2 destun." in page.inner_text("body")
    assert Section.objects.get(pk=security.pk).body_cy == good_welsh
