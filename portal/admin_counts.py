"""How the admin says "30 scenario questions" under each list. Django's admin puts the model's plural name after the
number, which Welsh cannot do ("30 cwestiynau senario"): each model the admin lists has its own ngettext here, so the
Welsh catalogue gives every plural form with its mutation ("2 dudalen gyfreithiol", "30 o gwestiynau senario").
tests/portal/test_admin_welsh.py fails when a model in the admin has none."""

from django.utils.translation import ngettext_lazy

COUNTS = {
    "auth.group": ngettext_lazy("%(count)s group", "%(count)s groups", "count"),
    "portal.user": ngettext_lazy("%(count)s member of staff", "%(count)s members of staff", "count"),
    "portal.rolechange": ngettext_lazy("%(count)s role change", "%(count)s role changes", "count"),
    "guidance.principle": ngettext_lazy("%(count)s principle", "%(count)s principles", "count"),
    "guidance.guidanceversion": ngettext_lazy("%(count)s guidance version", "%(count)s guidance versions", "count"),
    "assessments.question": ngettext_lazy("%(count)s scenario question", "%(count)s scenario questions", "count"),
    "cycles.cycle": ngettext_lazy("%(count)s cycle", "%(count)s cycles", "count"),
    "assessments.acknowledgement": ngettext_lazy("%(count)s confirmation", "%(count)s confirmations", "count"),
    "directory.department": ngettext_lazy("%(count)s department", "%(count)s departments", "count"),
    "directory.scimtoken": ngettext_lazy("%(count)s provisioning token", "%(count)s provisioning tokens", "count"),
    "cycles.exemption": ngettext_lazy("%(count)s exemption", "%(count)s exemptions", "count"),
    "legal.legalpage": ngettext_lazy("%(count)s legal page", "%(count)s legal pages", "count"),
    "xliff.translationimport": ngettext_lazy("%(count)s translation import", "%(count)s translation imports", "count"),
    "xliff.linkpair": ngettext_lazy("%(count)s link pair", "%(count)s link pairs", "count"),
    "outbox.outgoingemail": ngettext_lazy("%(count)s outgoing email", "%(count)s outgoing emails", "count"),
    "evidence.retentionrun": ngettext_lazy("%(count)s retention run", "%(count)s retention runs", "count"),
}


def count_of(opts, count: int) -> str:
    """ "30 scenario questions" for a model's options and a number, in the active language."""
    phrase = COUNTS.get(opts.label_lower)
    if phrase is None:  # a third-party model only superusers see (axes, tasks): Django's own wording
        return f"{count} {opts.verbose_name if count == 1 else opts.verbose_name_plural}"
    return phrase % {"count": count}
