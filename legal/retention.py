"""How long the portal keeps each kind of record, for the privacy notice. The periods are the settings the clean-up
commands use by default (``purge_old_attempts``; ``RETENTION_DECLARATION_YEARS`` for the declarations), so the notice
says what the portal does."""

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
            _("%(period)s after you made them, then removed.")
            % {"period": _years(settings.RETENTION_DECLARATION_YEARS)},
        ),
        Period(
            _("Your answers to the scenario questions"),
            _("%(period)s, then the answers are removed and only the score and result are kept.")
            % {"period": _years(settings.RETENTION_ANSWER_YEARS)},
        ),
        Period(
            _("Emails sent to you, exemptions and the guidance pages you opened"),
            _("As long as your account, as part of your record."),
        ),
        Period(
            _("Unsuccessful attempts to sign in"),
            _("Until you next sign in successfully from the same network address."),
        ),
        Period(
            _("Each time you sign in (the time, the network address and the browser)"),
            _("As long as your account, as part of your record."),
        ),
    ]
