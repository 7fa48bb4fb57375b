"""Test data builders: small functions with sensible defaults, one keyword per difference."""

import itertools
import uuid

from unlockdesk.accounts import services as account_services
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.two_factor import provision_device
from unlockdesk.tickets.services import Receipt, receive
from unlockdesk.tickets.types import (
    Channel,
    IdentityKind,
    InboundAttachment,
    InboundMessage,
    SenderIdentity,
)

_seq = itertools.count(1)

VALID_ID_NUMBERS = ["11010519491231002X", "440524188001010014", "110101199003074477"]
PASSWORD = "correct-horse-battery-9"


def make_account(
    *,
    uid: str | None = None,
    email: str | None = None,
    phone: str = "",
    kyc_name: str = "张伟",
    id_number: str = VALID_ID_NUMBERS[0],
    lock: LockReason | None = None,
    restrictions: list[Restriction] | None = None,
    anti_phishing_code: str = "",
) -> ExchangeAccount:
    n = next(_seq)
    account = account_services.upsert_account(
        uid=uid or str(20000000 + n),
        email=email if email is not None else f"customer{n}@example.com",
        phone=phone,
        kyc_name=kyc_name,
        id_number=id_number,
        anti_phishing_code=anti_phishing_code,
    )
    if lock:
        account_services.lock_account(
            account, reason=lock,
            restrictions=restrictions or [Restriction.LOGIN, Restriction.WITHDRAW],
            actor="system:test",
        )
    return account


def make_agent(*, role: Role = Role.AGENT, username: str | None = None,
               agent_number: str | None = None, two_factor: bool = True) -> Agent:
    """An agent with a confirmed TOTP device (staff cannot sign in without one)."""
    n = next(_seq)
    agent = Agent.objects.create_user(
        username=username or f"agent{n}",
        password=PASSWORD,
        display_name=f"Agent {n}",
        agent_number=agent_number or f"T{n:04d}",
        role=role,
    )
    if two_factor:
        provision_device(agent)
    return agent


def inbound(
    *,
    text: str = "我的账户被锁了，请帮忙解锁",
    channel: Channel = Channel.EMAIL,
    sender: str = "someone@example.com",
    kind: IdentityKind = IdentityKind.EMAIL,
    verified: bool = False,
    external_id: str | None = None,
    subject: str = "账户被锁",
    ticket_number: str = "",
    references: tuple[str, ...] = (),
    attachments: tuple[InboundAttachment, ...] = (),
) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        external_id=external_id or f"ext-{uuid.uuid4()}",
        sender=SenderIdentity(kind, sender, verified=verified),
        text=text,
        subject=subject,
        ticket_number=ticket_number,
        references=references,
        attachments=attachments,
    )


def receive_one(**kwargs: object) -> Receipt:
    return receive(inbound(**kwargs))  # type: ignore[arg-type]
