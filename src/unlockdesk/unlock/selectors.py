"""Reads of unlock applications, with the permission rule inside each function.

Customers reach an application only through their signed-in contact (or, for an application
made for an account they proved, through that account): never by a ticket number alone.
Unknown and foreign numbers raise the same ApplicationAccessDenied. Reviewers need the
REVIEWER role; agents below it get nothing.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from unlockdesk.staff.models import Agent, Role
from unlockdesk.tickets import numbering
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.tickets.models import Status as TicketStatus
from unlockdesk.tickets.models import Ticket
from unlockdesk.unlock.exceptions import ApplicationAccessDenied
from unlockdesk.unlock.models import Evidence, ReasonTemplate, ReviewDecision, UnlockApplication
from unlockdesk.unlock.types import FINAL_STATUSES, ApplicationStatus, DecisionKind, EvidenceKind, RiskFactor

REVIEW_STATUSES = [
    ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING, ApplicationStatus.IN_REVIEW,
    ApplicationStatus.APPROVED,
]


def _owned_by(customer: Customer) -> Q:
    scope = Q(contact=customer.contact)
    if customer.account is not None:
        scope |= Q(account=customer.account, account_proven=True)
    return scope


def applications_of(customer: Customer) -> QuerySet[UnlockApplication]:
    return (UnlockApplication.objects.filter(_owned_by(customer))
            .select_related("ticket", "account").order_by("-created_at"))


def open_application_for(customer: Customer) -> UnlockApplication | None:
    """The customer's application that is not finished yet (draft included), if any.

    An application whose ticket was closed is over, whatever its status: a closed ticket
    never reopens and its evidence is purged after the retention period, so keeping it
    "open" would leave the customer unable either to complete it or to start again. A purged
    (abandoned) draft is over too: files added to it would never be purged again.
    """
    return (applications_of(customer).exclude(status__in=list(FINAL_STATUSES))
            .exclude(ticket__status=TicketStatus.CLOSED).filter(purged_at__isnull=True).first())


def tickets_to_attach(customer: Customer) -> QuerySet[Ticket]:
    """The customer's open tickets without an application: the cases a new application may
    continue. The customer chooses among them; none is picked for them."""
    return (ticket_selectors.tickets_of(customer.contact, customer.account)
            .filter(unlock_application__isnull=True)
            .exclude(status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED]))


def application_for_customer(customer: Customer, number: str) -> UnlockApplication:
    """The customer's application on ticket `number`; raises ApplicationAccessDenied otherwise."""
    normalized = numbering.normalize(number)
    application = applications_of(customer).filter(ticket__number=normalized).first() if normalized else None
    if application is None:
        raise ApplicationAccessDenied
    return application


def evidence_for_customer(customer: Customer, evidence_id: int) -> Evidence:
    item = (Evidence.objects.select_related("application")
            .filter(pk=evidence_id, purged_at__isnull=True,
                    application__in=applications_of(customer)).first())
    if item is None:
        raise ApplicationAccessDenied
    return item


def _wizard_order() -> Case:
    """Evidence kinds in the wizard's order (ID front, back, handheld ...), so the reviewer sees
    the ID card front beside the handheld photo rather than an alphabetical shuffle."""
    return Case(*(When(kind=kind, then=Value(position)) for position, kind in enumerate(EvidenceKind.values)),
                default=Value(len(EvidenceKind.values)), output_field=IntegerField())


def current_evidence(application: UnlockApplication) -> QuerySet[Evidence]:
    return application.evidence.filter(superseded_at__isnull=True, purged_at__isnull=True).order_by(
        _wizard_order(), "uploaded_at")


def evidence_by_kind(application: UnlockApplication) -> dict[str, list[Evidence]]:
    grouped: dict[str, list[Evidence]] = {kind: [] for kind in EvidenceKind.values}
    for item in current_evidence(application):
        grouped[item.kind].append(item)
    return grouped


def _require_reviewer(agent: Agent) -> None:
    if not (agent.is_authenticated and agent.is_active and agent.has_role(Role.REVIEWER)):
        raise ApplicationAccessDenied


def review_queue(agent: Agent) -> QuerySet[UnlockApplication]:
    """Applications a reviewer should act on, high-risk and oldest first."""
    _require_reviewer(agent)
    first_approval = ReviewDecision.objects.filter(
        application=OuterRef("pk"), round=OuterRef("review_round"), kind=DecisionKind.APPROVE)
    return (UnlockApplication.objects.filter(status__in=REVIEW_STATUSES)
            .annotate(awaiting_second=Exists(first_approval.filter(application__high_risk=True)),
                      approved_by_me=Exists(first_approval.filter(reviewer=agent)))
            .select_related("ticket", "account").order_by("-high_risk", "submitted_at"))


def application_for_reviewer(agent: Agent, application_id: int) -> UnlockApplication:
    _require_reviewer(agent)
    application = (UnlockApplication.objects.select_related("ticket", "account", "contact")
                   .filter(pk=application_id).exclude(status=ApplicationStatus.DRAFT).first())
    if application is None:
        raise ApplicationAccessDenied
    return application


def evidence_for_reviewer(agent: Agent, evidence_id: int) -> Evidence:
    _require_reviewer(agent)
    item = (Evidence.objects.select_related("application", "application__ticket")
            .filter(pk=evidence_id, purged_at__isnull=True)
            .exclude(application__status=ApplicationStatus.DRAFT).first())
    if item is None:
        raise ApplicationAccessDenied
    return item


def approvals_this_round(application: UnlockApplication) -> list[ReviewDecision]:
    return list(application.decisions.filter(
        round=application.review_round, kind__in=[DecisionKind.APPROVE, DecisionKind.CONFIRM]
    ).select_related("reviewer"))


def reason_templates(decision: str = "") -> QuerySet[ReasonTemplate]:
    templates = ReasonTemplate.objects.filter(active=True)
    return templates.filter(decision=decision) if decision else templates


@dataclass(frozen=True)
class ReviewerView:
    """What the reviewer screen needs beyond the application itself."""

    awaiting_second: bool
    first_approver: Agent | None
    may_approve: bool
    may_decide: bool
    superseded: list[Evidence] = field(default_factory=list)
    risk_labels: list[str] = field(default_factory=list)


def reviewer_view(agent: Agent, application: UnlockApplication) -> ReviewerView:
    approvals = approvals_this_round(application)
    first = approvals[0].reviewer if approvals else None
    in_review = application.status == ApplicationStatus.IN_REVIEW
    awaiting = bool(application.high_risk and approvals and in_review)
    may_approve = in_review and not (awaiting and first is not None and first.pk == agent.pk)
    superseded = list(application.evidence.filter(superseded_at__isnull=False, purged_at__isnull=True))
    labels = [str(RiskFactor(f).label) if f in RiskFactor.values else f for f in application.risk_factors]
    # The first approver of a high-risk application has decided: the next decision is another
    # reviewer's, so the form is not offered (it could only be refused).
    return ReviewerView(awaiting, first, may_approve, may_approve, superseded, labels)


def applications_of_ticket_customer(agent: Agent, ticket: Ticket, *, limit: int = 5,
                                    ) -> list[UnlockApplication]:
    """The unlock applications of the customer on `ticket` (by contact, or made for the account
    they proved), for the console's customer context; only those whose ticket `agent` may see.
    Any agent may list them (status and number); the review itself needs REVIEWER."""
    scope = Q(contact_id=ticket.contact_id)
    if ticket.account_id is not None:
        scope |= Q(account_id=ticket.account_id, account_proven=True)
    visible = ticket_selectors.visible_tickets(agent)
    return list(UnlockApplication.objects.filter(scope)
                .filter(Q(ticket__isnull=True) | Q(ticket__in=visible))
                .select_related("ticket").order_by("-updated_at")[:limit])
