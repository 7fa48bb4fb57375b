"""What the customer is told at each step, in the ticket's language.

Only evidence kinds and reason templates reach the customer: reviewers' internal notes never do.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from unlockdesk.unlock.estimate import WaitEstimate, humanize
from unlockdesk.unlock.types import ApplicationStatus, redo_label


def duration_text(number: int, unit: str) -> str:
    if unit == "minutes":
        return ngettext("%(n)d minute", "%(n)d minutes", number) % {"n": number}
    if unit == "hours":
        return ngettext("%(n)d hour", "%(n)d hours", number) % {"n": number}
    return ngettext("%(n)d day", "%(n)d days", number) % {"n": number}


def estimate_text(estimate: WaitEstimate) -> str:
    if estimate.typical is None or estimate.upper is None:
        return _(
            "We have too few recent decisions to estimate the wait honestly; "
            "%(ahead)d applications are waiting for review now."
        ) % {"ahead": estimate.ahead}
    typical = duration_text(*humanize(estimate.typical))
    upper = duration_text(*humanize(estimate.upper))
    return _(
        "Recent applications were decided in about %(typical)s (8 in 10 within %(upper)s, "
        "from the last %(sample)d decisions); %(ahead)d are waiting for review now."
    ) % {"typical": typical, "upper": upper, "sample": estimate.sample, "ahead": estimate.ahead}


def status_url(number: str) -> str:
    """The application's status page (it asks for the one-time code first; a number alone shows nothing)."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse('unlock:status', args=[number])}"


def redo_lines(items: list[dict[str, str]], language: str) -> list[str]:
    lines = []
    for item in items:
        label = redo_label(item["kind"])
        reason = item.get("reason_zh" if language.startswith("zh") else "reason_en", "")
        lines.append(f"- {label}: {reason}" if reason else f"- {label}")
    return lines


def status_notice(
    *,
    status: str,
    language: str,
    number: str,
    estimate: WaitEstimate | None = None,
    redo: list[dict[str, str]] | None = None,
    reasons: list[str] | None = None,
    lifted: list[str] | None = None,
    still_blocked: list[str] | None = None,
) -> str:
    """The notice for a status change, rendered in `language` whatever the current request's."""
    with override(language):
        label = str(ApplicationStatus(status).label)
        head = _("Unlock application %(number)s: %(status)s.") % {"number": number, "status": label}
        lines = [head]
        if status == ApplicationStatus.SUBMITTED:
            lines.append(_("We received your materials. Automatic checks run first, then a reviewer "
                           "looks at everything."))
        elif status == ApplicationStatus.CHECKING:
            lines.append(_("Automatic checks of your materials are running."))
        elif status == ApplicationStatus.IN_REVIEW:
            lines.append(_("A reviewer will now look at your application."))
        elif status == ApplicationStatus.NEEDS_INFO:
            lines.append(_("Please upload again only these items (everything else is kept):"))
            lines.extend(redo_lines(redo or [], language))
            # Whatever channel this notice goes out on, the files go through the portal.
            lines.append(_("Upload them on your application's page, after signing in with a "
                           "one-time code: %(url)s") % {"url": status_url(number)})
        elif status == ApplicationStatus.APPROVED:
            lines.append(_("Your application was approved. We are lifting the restrictions now."))
        elif status == ApplicationStatus.REJECTED:
            lines.append(_("Your application was not approved, for this reason:"))
            lines.extend(f"- {r}" for r in reasons or [])
            lines.append(_("You can reply on this ticket or start a new application."))
        elif status == ApplicationStatus.UNLOCKED:
            if lifted:
                lines.append(_("Lifted: %(what)s.") % {"what": ", ".join(lifted)})
            if still_blocked:
                lines.append(_("Still in place (handled separately): %(what)s.")
                             % {"what": ", ".join(still_blocked)})
            lines.append(_("Please change your password and check your security settings now."))
        if estimate is not None and status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
            lines.append(estimate_text(estimate))
        lines.append(_("Support never asks for your password, SMS or 2FA codes."))
        return "\n".join(lines)
