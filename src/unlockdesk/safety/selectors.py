"""Safety reads for the console, with the permission rule inside: supervisors and up only."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from unlockdesk.safety.models import AuditEntry, ReportStatus, ScamReport
from unlockdesk.staff.models import Agent, Role

AUDIT_PAGE_SIZE = 50


class SafetyAccessDenied(Exception):
    """The agent's role does not include the security pages."""


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    target: str = ""


def _require_supervisor(agent: Agent) -> None:
    if not (agent.is_active and agent.has_role(Role.SUPERVISOR)):
        raise SafetyAccessDenied


def audit_log(agent: Agent, filters: AuditFilters, *, page: int = 1) -> Page[AuditEntry]:
    """The audit log, newest first, filtered; supervisors and admins only."""
    _require_supervisor(agent)
    entries = AuditEntry.objects.all()
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.actor:
        entries = entries.filter(actor__icontains=filters.actor)
    if filters.target:
        entries = entries.filter(target__icontains=filters.target)
    return Paginator(entries, AUDIT_PAGE_SIZE).get_page(page)


def audit_actions(agent: Agent) -> list[str]:
    _require_supervisor(agent)
    return sorted(set(AuditEntry.objects.values_list("action", flat=True).distinct()))


def security_queue(agent: Agent, *, status: str = ReportStatus.NEW) -> QuerySet[ScamReport]:
    _require_supervisor(agent)
    return ScamReport.objects.filter(status=status).select_related("handled_by")[:200]


def report_for(agent: Agent, pk: int) -> ScamReport:
    _require_supervisor(agent)
    report = ScamReport.objects.filter(pk=pk).first()
    if report is None:
        raise SafetyAccessDenied
    return report
