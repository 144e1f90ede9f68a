"""The evidence chain: `verify_evidence` passes on an untouched database and finds what a database superuser changed,
removed or slipped in with the triggers out of the way (run on SQLite and on PostgreSQL)."""

import io
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from openpyxl import load_workbook

from assessments.models import Acknowledgement
from assessments.services import start_attempt, submit_attempt
from evidence import chain
from evidence.jobs import log_chain_head
from evidence.models import ChainLink
from guidance.models import GuidanceVersion
from reporting.workbook import write_xlsx

from ..assessments.test_quiz import answer_all
from ..factories import UserFactory, acknowledge_after_reading

pytestmark = pytest.mark.django_db


def declare(person, cycle, version):
    attempt = start_attempt(user=person, cycle=cycle, language="en")
    answer_all(attempt, person, correct=6)
    submit_attempt(user=person, attempt_id=attempt.pk, language="en")
    return acknowledge_after_reading(user=person, cycle=cycle, version=version, language="en")[0]


@pytest.fixture
def declarations(cycle, content):
    return [declare(UserFactory(), cycle, content) for _person in range(3)]


def verify_output(*args) -> str:
    out = io.StringIO()
    call_command("verify_evidence", *args, stdout=out)
    return out.getvalue()


def broken(*args) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("verify_evidence", *args)
    return str(refusal.value)


def as_superuser(sql, params=()):
    """What a database superuser can do: change rows with the evidence triggers out of the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # user triggers do not fire
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS evidence_acknowledgement_update")
            cursor.execute("DROP TRIGGER IF EXISTS evidence_acknowledgement_delete")
            cursor.execute("DROP TRIGGER IF EXISTS evidence_chainlink_delete")
            cursor.execute("DROP TRIGGER IF EXISTS evidence_section_update")
            cursor.execute(sql, params)


def test_a_fresh_database_verifies_and_shows_its_head(declarations, content):
    links = list(ChainLink.objects.order_by("position"))
    assert [(link.kind, link.record_id) for link in links] == [
        ("version", content.pk),
        *(("declaration", record.pk) for record in declarations),
    ]
    assert links[0].previous == chain.GENESIS
    assert all(link.previous == before.digest for before, link in zip(links, links[1:], strict=False))
    head = f"4:{links[-1].digest}"
    assert verify_output() == f"Evidence chain intact: 4 links. Head {head}\n"
    assert "intact" in verify_output("--head", head)


def test_a_declaration_changed_by_a_superuser_is_found(declarations):
    target = declarations[1]
    as_superuser("UPDATE assessments_acknowledgement SET language = 'cy' WHERE id = %s", [target.pk])
    message = broken()
    assert message.startswith(f"Evidence chain broken at position 3 (declaration {target.pk}): the record has changed")


def test_a_changed_score_or_cycle_name_is_found(declarations, cycle):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS evidence_cycle_update")
        cursor.execute("UPDATE cycles_cycle SET name = 'Other' WHERE id = %s", [cycle.pk])
    assert "position 2 (declaration" in broken()


def test_a_declaration_removed_with_its_link_is_found(declarations):
    target = declarations[0]
    as_superuser("DELETE FROM evidence_chainlink WHERE kind = 'declaration' AND record_id = %s", [target.pk])
    as_superuser("DELETE FROM assessments_acknowledgement WHERE id = %s", [target.pk])
    assert broken().startswith("Evidence chain broken at position 2: the link is missing")


def test_a_declaration_removed_without_its_link_is_found(declarations):
    target = declarations[2]
    as_superuser("DELETE FROM assessments_acknowledgement WHERE id = %s", [target.pk])
    assert broken().startswith(f"Evidence chain broken at position 4 (declaration {target.pk}): the record is missing")


def test_a_declaration_slipped_in_without_a_link_is_found(declarations, cycle, content):
    first = declarations[0]
    with transaction.atomic():
        forged = Acknowledgement.objects.create(
            user=UserFactory(),
            cycle=cycle,
            guidance_version=content,
            attempt=first.attempt,
            language="en",
            content_sha256=content.content_sha256,
        )
    assert f"declaration {forged.pk} is not in the chain" in broken()


def test_a_rewritten_chain_no_longer_holds_the_head_an_auditor_kept(declarations):
    kept = chain.describe_head()
    target = declarations[2]
    # A careful superuser changes the last declaration and re-hashes its link: the chain is consistent again ...
    as_superuser("UPDATE assessments_acknowledgement SET language = 'cy' WHERE id = %s", [target.pk])
    link = ChainLink.objects.get(kind="declaration", record_id=target.pk)
    digest = chain.link_digest(
        link.previous, link.kind, chain.declaration_content(Acknowledgement.objects.get(pk=target.pk))
    )
    as_superuser("DELETE FROM evidence_chainlink WHERE id = %s", [link.pk])
    ChainLink.objects.create(
        position=link.position, kind=link.kind, record_id=link.record_id, previous=link.previous, digest=digest
    )
    assert "intact" in verify_output()
    # ... but the head the auditor noted is gone.
    assert "the head " + kept + " noted earlier is no longer part of the chain" in broken("--head", kept)


def test_changed_guidance_text_is_found(content):
    section = content.sections.first()
    as_superuser("UPDATE guidance_section SET body_en = 'Anything goes.' WHERE id = %s", [section.pk])
    assert broken().startswith(
        f"Evidence chain broken at position 1 (published guidance version {content.pk}): the text of the version has changed"
    )


def test_retention_is_part_of_the_chain_and_still_verifies(cycle, content):
    from .test_retention import old_acknowledgement

    declare(UserFactory(), cycle, content)
    with transaction.atomic():
        old = old_acknowledgement(UserFactory(), cycle, content, years=7)
        chain.append(kind=ChainLink.Kind.DECLARATION, record=old)
    call_command("apply_retention", "--older-than-years", "6", "--by", "records.officer", stdout=io.StringIO())
    assert not Acknowledgement.objects.filter(pk=old.pk).exists()
    last = ChainLink.objects.order_by("-position").first()
    assert last.kind == "retention" and last.position == 4
    assert "Evidence chain intact: 4 links, 1 removed by retention runs." in verify_output()


def test_the_worker_logs_the_head_daily(declarations, caplog):
    with caplog.at_level(logging.INFO, logger="evidence"):
        head = log_chain_head()
    assert head == chain.describe_head() and head.startswith("4:")
    assert f"Evidence chain head {head}" in caplog.text


def test_hr_workbook_summary_carries_the_head(declarations, cycle):
    output = io.BytesIO()
    write_xlsx(output, cycle=cycle)
    summary = load_workbook(io.BytesIO(output.getvalue()), read_only=True)["Summary"]
    rows = [row for row in summary.iter_rows(values_only=True) if row[0] == "Evidence chain head"]
    assert rows and rows[0][1] == chain.describe_head()


def test_versions_and_declarations_alternate_in_one_chain(declarations, content):
    from guidance.services import publish_version, start_draft

    draft = start_draft()
    draft.change_summary_en, draft.change_summary_cy = "Newer.", "Mwy newydd."
    draft.save()
    published = publish_version(version=draft)
    assert ChainLink.objects.order_by("-position").first().record_id == published.pk
    assert GuidanceVersion.objects.published().count() == 2
    assert "Evidence chain intact: 5 links." in verify_output()
