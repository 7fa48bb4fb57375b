"""A customer with something in every part of their records (shared by the unit and browser tests)."""

import io
from dataclasses import dataclass

from PIL import Image

from tests.factories import inbound, make_account, make_agent
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.types import LockReason
from unlockdesk.staff.models import Role
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.tickets.models import Contact, Ticket
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.services.outbound import reply
from unlockdesk.tickets.types import Channel, IdentityKind, InboundAttachment
from unlockdesk.unlock.models import ReasonTemplate, ReviewDecision, UnlockApplication
from unlockdesk.unlock.types import ApplicationStatus, DecisionKind

ADDRESS = "records-owner@example.com"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


@dataclass
class Owner:
    account: ExchangeAccount
    customer: Customer
    tickets: list[Ticket]


def make_owner() -> Owner:
    account = make_account(email=ADDRESS, lock=LockReason.RISK_CONTROL)
    first = receive(inbound(channel=Channel.WEB, sender=ADDRESS, verified=True, subject="账户被锁",
                            text="我的账户被锁了，无法提币",
                            attachments=(InboundAttachment("screen.png", png()),)))
    second = receive(inbound(channel=Channel.EMAIL, sender=ADDRESS, verified=True,
                             subject="Where is my deposit", text="The deposit has not arrived"))
    tickets = [Ticket.objects.get(pk=first.ticket_id), Ticket.objects.get(pk=second.ticket_id)]
    agent = make_agent(role=Role.REVIEWER)
    reply(ticket=tickets[0], agent=agent, text="我们已收到您的申请，正在处理。")
    reply(ticket=tickets[0], agent=agent, text="INTERNAL: customer sounds nervous", internal=True)
    contact = Contact.objects.get(pk=tickets[0].contact_id)
    application = UnlockApplication.objects.create(
        contact=contact, account=account, ticket=tickets[0], status=ApplicationStatus.REJECTED,
        lock_reason=LockReason.RISK_CONTROL, kyc_name_masked="张*", id_number_masked="1101**********002X")
    reason = ReasonTemplate.objects.create(code="blurry", decision=DecisionKind.REJECT,
                                           text_zh="证件照片不清晰", text_en="The ID photo is blurry")
    decision = ReviewDecision.objects.create(application=application, reviewer=agent,
                                             kind=DecisionKind.REJECT, note="REVIEWER-ONLY NOTE")
    decision.reasons.add(reason)
    receive(inbound(sender="stranger@example.com", text="someone else's problem"))
    return Owner(account, Customer(contact, account, IdentityKind.EMAIL, ADDRESS), tickets)
