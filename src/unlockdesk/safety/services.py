"""Safety writes and the checks the pipeline calls.

- `scan_inbound` / `guard_outbound`: the pipeline's contracts (secrets out, bad asks blocked).
- `lookalike_links` / `inbound_warning`: links in customer messages, and what to tell them.
- `report_scam`, `confirm_report`, `dismiss_report`: the security queue and the blocklist.

Every sensitive write is audited in the same transaction as the change.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unlockdesk.safety import audit, guard, links, scanner
from unlockdesk.safety.models import BlockedContact, ReportStatus, ScamReport
from unlockdesk.safety.notices import inbound_warning, official_email_footer
from unlockdesk.safety.types import ScanResult
from unlockdesk.safety.verifier import Answer, UnrecognisedInput, classify, verify

__all__ = [
    "GuardVerdict",
    "confirm_report",
    "dismiss_report",
    "guard_macro",
    "guard_outbound",
    "inbound_warning",
    "lookalike_links",
    "official_email_footer",
    "report_scam",
    "scan_inbound",
]


class ReportError(Exception):
    """A report cannot be handled as asked (already handled); the message is safe to show."""


@dataclass(frozen=True)
class GuardVerdict:
    allowed: bool
    reason: str = ""
    code: str = ""


def scan_inbound(text: str) -> ScanResult:
    """Secrets found in customer text; the pipeline stores only `redacted`."""
    return scanner.scan(text)


def guard_outbound(text: str) -> GuardVerdict:
    """Whether an agent may send `text`; the reason (agent's language) says why not."""
    violation = guard.check(text)
    if violation is None:
        return GuardVerdict(allowed=True)
    return GuardVerdict(allowed=False, reason=str(violation.reason), code=violation.code)


def guard_macro(*, body_zh: str, body_en: str) -> None:
    """Macros are replies agents send by the hundred: both languages must pass the guard."""
    errors = {}
    for field, text in (("body_zh", body_zh), ("body_en", body_en)):
        verdict = guard_outbound(text or "")
        if not verdict.allowed:
            errors[field] = _("Not allowed: %(reason)s") % {"reason": verdict.reason}
    if errors:
        raise ValidationError(errors)


def lookalike_links(text: str) -> list[Answer]:
    """Links and addresses in customer text that imitate ours or were reported as scams."""
    return links.lookalikes_in(text)


def report_scam(*, value: str, description: str, reporter_contact_id: int | None) -> ScamReport:
    """File a customer's report into the security queue; raises UnrecognisedInput for nonsense.

    The description is scanned like any inbound text: a customer quoting the scammer may paste
    the code they were tricked into sharing.
    """
    item = classify(value)
    answer = verify(value)
    with transaction.atomic():
        report = ScamReport.objects.create(
            kind=str(item.kind or answer.kind),
            value=item.value[:254],
            description=scan_inbound(description.strip()[:4000]).redacted,
            verdict=answer.verdict,
            reporter_id=reporter_contact_id,
        )
        audit.record(actor=f"contact:{reporter_contact_id}" if reporter_contact_id else "anonymous",
                     action="scam.report", target=f"report:{report.pk}", kind=report.kind,
                     value=report.value)
    return report


def confirm_report(report: ScamReport, *, by: object) -> BlockedContact:
    """A confirmed scam goes on the blocklist: the verifier and the link check call it out.

    An official contact is never blocklisted (that would tell customers our own domain is a
    scam): it has to leave the registry first.
    """
    with transaction.atomic():
        locked = ScamReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.NEW:
            raise ReportError(_("This report was already handled."))
        if _is_official(locked.value):
            raise ReportError(_("%(value)s is one of our official contacts. Remove it from the "
                                "registry first if it really was taken over.") % {"value": locked.value})
        locked.status = ReportStatus.CONFIRMED
        locked.handled_by = by  # type: ignore[assignment]
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "handled_by", "handled_at"])
        try:
            with transaction.atomic():
                blocked = BlockedContact.objects.create(
                    kind=locked.kind, value=locked.value, report=locked,
                    reason=f"confirmed scam report {locked.pk}")
        except IntegrityError:
            blocked = BlockedContact.objects.get(kind=locked.kind, value=locked.value)
        audit.record(actor=audit.actor_of(by), action="scam.confirm", target=f"report:{locked.pk}",
                     kind=locked.kind, value=locked.value)
    return blocked


def _is_official(value: str) -> bool:
    try:
        return verify(value).verdict == "official"
    except UnrecognisedInput:
        return False


def dismiss_report(report: ScamReport, *, by: object) -> ScamReport:
    with transaction.atomic():
        locked = ScamReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.NEW:
            raise ReportError(_("This report was already handled."))
        locked.status = ReportStatus.DISMISSED
        locked.handled_by = by  # type: ignore[assignment]
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "handled_by", "handled_at"])
        audit.record(actor=audit.actor_of(by), action="scam.dismiss", target=f"report:{locked.pk}")
    return locked
