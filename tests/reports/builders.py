"""Rows for report tests, written directly so each test states exact times."""

import itertools
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from unlockdesk.reports.models import CsatSurvey
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import Category, Contact, Priority, Queue, Status, Ticket
from unlockdesk.tickets.types import Channel
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
_seq = itertools.count(1)


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A time on the desk's clock (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def make_ticket(*, created_at: datetime, channel: Channel = Channel.EMAIL,
                category: Category = Category.OTHER, priority: Priority = Priority.NORMAL,
                status: Status = Status.OPEN, queue: Queue | None = None,
                first_response_at: datetime | None = None, resolved_at: datetime | None = None,
                first_response_due: datetime | None = None, resolution_due: datetime | None = None,
                contact: Contact | None = None, assignee: Agent | None = None) -> Ticket:
    n = next(_seq)
    return Ticket.objects.create(
        number=f"UD-R{n:05d}", subject=f"report test {n}", channel=channel, category=category,
        priority=priority, status=status, queue=queue,
        contact=contact or Contact.objects.create(display_name=f"customer {n}"),
        created_at=created_at, updated_at=created_at, first_response_at=first_response_at,
        resolved_at=resolved_at, first_response_due=first_response_due,
        resolution_due=resolution_due, assignee=assignee)


def make_application(*, status: ApplicationStatus, submitted_at: datetime, decided_at: datetime,
                     ticket: Ticket | None = None) -> UnlockApplication:
    contact = ticket.contact if ticket else Contact.objects.create(display_name="applicant")
    return UnlockApplication.objects.create(contact=contact, ticket=ticket, status=status,
                                            submitted_at=submitted_at, decided_at=decided_at)


def make_answer(*, ticket: Ticket, rating: int | None, answered_at: datetime,
                agent: Agent | None = None) -> CsatSurvey:
    return CsatSurvey.objects.create(
        ticket=ticket, channel=ticket.channel, queue=ticket.queue, agent=agent,
        nonce=secrets.token_hex(16), asked_at=answered_at - timedelta(hours=1),
        expires_at=answered_at + timedelta(days=13), rating=rating,
        answered_at=answered_at if rating is not None else None)
