"""Audit-log actions and their details in words: supervisors read "导出报表", not
`report.export`, and "原因", not `reason`.

The codes stay in the database (they are what filters and integrations match on); this is only
how the audit page says them. An unknown code is shown as it is rather than hidden.
"""

from collections.abc import Callable

from django.db.models import TextChoices
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from unlockdesk.chinese import list_of

_ACTIONS: dict[str, Promise] = {
    "account.lock": gettext_lazy("Account locked"),
    "account.unlock": gettext_lazy("Account unlocked"),
    "account.freeze_repeat": gettext_lazy("Freeze asked again for a frozen account"),
    "account.anti_phishing_set": gettext_lazy("Anti-phishing code set"),
    "api_key.create": gettext_lazy("API key created"),
    "api_key.revoke": gettext_lazy("API key revoked"),
    "attachment.view": gettext_lazy("Attachment opened"),
    "attachment.thumbnail": gettext_lazy("Picture preview opened"),
    "attachment.send": gettext_lazy("File sent to a customer"),
    "call.logged": gettext_lazy("Phone call logged"),
    "callback.requested": gettext_lazy("Callback requested"),
    "callback.assigned": gettext_lazy("Callback assigned"),
    "callback.done": gettext_lazy("Callback made"),
    "callback.missed": gettext_lazy("Callback missed its time"),
    "chat.accept": gettext_lazy("Chat accepted"),
    "chat.transfer": gettext_lazy("Chat transferred"),
    "chat.end": gettext_lazy("Chat ended"),
    "chat.identified": gettext_lazy("Chat visitor identified"),
    "contact.merge": gettext_lazy("Contacts merged"),
    "evidence.view": gettext_lazy("Evidence opened"),
    "evidence.upload": gettext_lazy("Evidence uploaded"),
    "evidence.remove": gettext_lazy("Evidence removed"),
    "evidence.purge": gettext_lazy("Evidence deleted after retention"),
    "guard.override": gettext_lazy("Outbound guard overridden"),
    "help.publish": gettext_lazy("Help article published"),
    "help.unpublish": gettext_lazy("Help article withdrawn"),
    "kyc.reveal": gettext_lazy("Real-name details revealed"),
    "macro.save": gettext_lazy("Macro saved"),
    "macro.delete": gettext_lazy("Macro deleted"),
    "records.export_requested": gettext_lazy("Customer asked for their records"),
    "records.downloaded": gettext_lazy("Customer downloaded their records"),
    "report.export": gettext_lazy("Report exported"),
    "scam.report": gettext_lazy("Scam reported"),
    "scam.confirm": gettext_lazy("Scam report confirmed"),
    "scam.dismiss": gettext_lazy("Scam report dismissed"),
    "sla.warning": gettext_lazy("SLA warning"),
    "sla.breach": gettext_lazy("SLA breached"),
    "staff.login": gettext_lazy("Staff signed in"),
    "staff.2fa_failed": gettext_lazy("Two-factor code refused"),
    "staff.2fa_enrolled": gettext_lazy("Two-factor sign-in set up"),
    "ticket.assign": gettext_lazy("Ticket assigned"),
    "ticket.unassign": gettext_lazy("Ticket unassigned"),
    "ticket.merge": gettext_lazy("Tickets merged"),
    "ticket.split": gettext_lazy("Message split into a new ticket"),
    "ticket.bulk_start": gettext_lazy("Bulk action started"),
    "ticket.bulk_status": gettext_lazy("Bulk action: status"),
    "ticket.bulk_priority": gettext_lazy("Bulk action: priority"),
    "ticket.bulk_queue": gettext_lazy("Bulk action: queue"),
    "ticket.bulk_tag": gettext_lazy("Bulk action: tag added"),
    "ticket.bulk_assign": gettext_lazy("Bulk action: assignee"),
    "unlock.submit": gettext_lazy("Unlock application submitted"),
    "unlock.request_info": gettext_lazy("Unlock review: more information asked"),
    "unlock.approve": gettext_lazy("Unlock review: approved"),
    "unlock.confirm": gettext_lazy("Unlock review: approval confirmed"),
    "unlock.reject": gettext_lazy("Unlock review: rejected"),
    "unlock.kyc_reveal": gettext_lazy("Applicant's real-name details revealed"),
    "unlock.gateway_failed": gettext_lazy("Unlock at the exchange failed"),
    "unlock.failed_checks_acknowledged": gettext_lazy("Failed checks acknowledged by the reviewer"),
    "unlock.transactions_redone": gettext_lazy("Transactions asked again"),
    "view.save": gettext_lazy("Saved view saved"),
    "view.delete": gettext_lazy("Saved view deleted"),
}

# Registry changes made in the admin: `<model>.<add|change|delete>`.
_MODELS: dict[str, Promise] = {
    "officialchannel": gettext_lazy("Official channel"),
    "blockedcontact": gettext_lazy("Blocked contact"),
}
_CHANGES: dict[str, Promise] = {
    "add": pgettext_lazy("audit", "added"),
    "change": pgettext_lazy("audit", "changed"),
    "delete": pgettext_lazy("audit", "deleted"),
}


def audit_action(action: str) -> str:
    """The action in the reader's language; the code itself when it is not known."""
    if action in _ACTIONS:
        return str(_ACTIONS[action])
    model, _sep, change = action.partition(".")
    if model in _MODELS and change in _CHANGES:
        return _("%(what)s %(change)s") % {"what": _MODELS[model], "change": _CHANGES[change]}
    return action


# The names of an entry's details (`audit.record(..., reason=...)`), in words. A test reads the
# code base's record() calls and fails on a name missing here.
_DETAILS: dict[str, Promise] = {
    "after": pgettext_lazy("audit detail", "After"),
    "agent": pgettext_lazy("audit detail", "Agent"),
    "application": pgettext_lazy("audit detail", "Unlock application"),
    "before": pgettext_lazy("audit detail", "Before"),
    "call": pgettext_lazy("audit detail", "Call"),
    "callback": pgettext_lazy("audit detail", "Callback"),
    "checks": pgettext_lazy("audit detail", "Checks"),
    "clock": pgettext_lazy("audit detail", "SLA clock"),
    "created": pgettext_lazy("audit detail", "Newly created"),
    "due": pgettext_lazy("audit detail", "Due"),
    "end": pgettext_lazy("audit detail", "Period end"),
    "error": pgettext_lazy("audit detail", "Error"),
    "escalation": pgettext_lazy("audit detail", "Escalation"),
    "evidence": pgettext_lazy("audit detail", "Evidence"),
    "file": pgettext_lazy("audit detail", "File"),
    "files": pgettext_lazy("audit detail", "Files"),
    "form": pgettext_lazy("audit detail", "Shown as"),
    "high_risk": pgettext_lazy("audit detail", "High risk"),
    "into": pgettext_lazy("audit detail", "Into"),
    "items": pgettext_lazy("audit detail", "Items asked for"),
    "job": pgettext_lazy("audit detail", "Bulk job"),
    "kind": pgettext_lazy("audit detail", "Kind"),
    "kinds": pgettext_lazy("audit detail", "Kinds"),
    "late_minutes": pgettext_lazy("audit detail", "Minutes late"),
    "lock": pgettext_lazy("audit detail", "Lock"),
    "merged": pgettext_lazy("audit detail", "Merged from"),
    "message": pgettext_lazy("audit detail", "Message"),
    "messages": pgettext_lazy("audit detail", "Messages"),
    "name": pgettext_lazy("audit detail", "Name"),
    "outcome": pgettext_lazy("audit detail", "Outcome"),
    "previous": pgettext_lazy("audit detail", "Previous"),
    "query": pgettext_lazy("audit detail", "Search"),
    "queue": pgettext_lazy("audit detail", "Queue"),
    "reason": pgettext_lazy("audit detail", "Reason"),
    "reasons": pgettext_lazy("audit detail", "Reasons"),
    "restrictions": pgettext_lazy("audit detail", "Restrictions"),
    "retention_days": pgettext_lazy("audit detail", "Retention (days)"),
    "revision": pgettext_lazy("audit detail", "Revision"),
    "round": pgettext_lazy("audit detail", "Review round"),
    "scopes": pgettext_lazy("audit detail", "Scopes"),
    "seq": pgettext_lazy("audit detail", "Message number"),
    "sha256": pgettext_lazy("audit detail", "SHA-256"),
    "shared": pgettext_lazy("audit detail", "Shared"),
    "start": pgettext_lazy("audit detail", "Period start"),
    "ticket": pgettext_lazy("audit detail", "Ticket"),
    "tickets": pgettext_lazy("audit detail", "Tickets"),
    "to_agent": pgettext_lazy("audit detail", "To agent"),
    "to_queue": pgettext_lazy("audit detail", "To queue"),
    "total": pgettext_lazy("audit detail", "Total"),
    "value": pgettext_lazy("audit detail", "Value"),
    "via": pgettext_lazy("audit detail", "Through"),
    "why": pgettext_lazy("audit detail", "Why"),
}


def audit_detail_name(key: str) -> str:
    """A detail's name in the reader's language; an unknown one with its underscores as spaces."""
    return str(_DETAILS[key]) if key in _DETAILS else key.replace("_", " ")


# Codes a detail's value may hold, in words: `clock=first_response` reads "首次响应". Apps
# register their own codes (unlock: evidence kinds) from AppConfig.ready(); a value no labeler
# knows is shown as stored.
Labeler = Callable[[str], str | None]
_VALUES: dict[str, list[Labeler]] = {}


def register_detail_values(key: str, labeler: Labeler) -> None:
    _VALUES.setdefault(key, []).append(labeler)


def choices_labeler(choices: type[TextChoices]) -> Labeler:
    """A labeler of one TextChoices' codes."""
    def label(value: str) -> str | None:
        return str(choices(value).label) if value in choices.values else None
    return label


def words_labeler(words: dict[str, Promise]) -> Labeler:
    """A labeler of a few free codes."""
    def label(value: str) -> str | None:
        return str(words[value]) if value in words else None
    return label


def audit_detail_value(value: object, key: str = "") -> str:
    """Yes and No in words, known codes in words, lists joined, nothing as a dash; the rest as
    stored."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return list_of(audit_detail_value(v, key) for v in value) or "—"
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        for labeler in _VALUES.get(key, []):
            if (said := labeler(value)) is not None:
                return said
    return str(value)
