"""How long the portal keeps each kind of record, for the privacy notice. Read from the retention settings the
clean-up commands use, so the notice cannot drift from what the portal does."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Period:
    what: str
    period: str


def _years(years: int) -> str:
    return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}


def retention_periods() -> list[Period]:
    answers_years = getattr(settings, "RETENTION_ATTEMPT_ANSWERS_YEARS", 3)
    return [
        Period(
            _("Your details from the staff directory"),
            _(
                "While you work for the Welsh Government. When you leave, your account is made inactive, not deleted, "
                "so your declarations stay valid."
            ),
        ),
        Period(
            _("Your declarations (with the guidance version, the date and the reference)"),
            _("Kept as evidence of what you confirmed; never changed."),
        ),
        Period(
            _("Your answers to the scenario questions"),
            _("%(period)s, then the answers are removed and only the score and result are kept.")
            % {"period": _years(answers_years)},
        ),
        Period(_("Emails sent to you (receipts and reminders)"), _("Kept with your record for the cycle.")),
    ]
