"""Request and response shapes of /api/v1 (they are the OpenAPI schema)."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from unlockdesk.accounts.identifiers import mask_email, mask_phone
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.tickets.models import Contact, Message, Ticket


def _storable(value: str) -> str:
    """Text a database can hold: no NUL characters, no lone surrogates."""
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text") from None
    return value


Storable = AfterValidator(_storable)
Subject = Annotated[str, Field(min_length=1, max_length=255), Storable]
Body = Annotated[str, Field(min_length=1, max_length=20000), Storable]
Address = Annotated[str, Field(min_length=1, max_length=254), Storable]
DisplayName = Annotated[str, Field(max_length=128), Storable]
Uid = Annotated[str, Field(min_length=1, max_length=32), Storable]
SearchText = Annotated[str, Field(max_length=200), Storable]
Description = Annotated[str, Field(max_length=200), Storable]
AgentRef = Annotated[str, Field(min_length=1, max_length=150), Storable]
TagName = Annotated[str, Field(min_length=1, max_length=40, description=(
    "Letters of any script, digits, '-' and '_'; stored lower case, spaces become '-'.")), Storable]


StatusName = Literal["new", "open", "waiting_customer", "waiting_us", "resolved", "closed"]
ChannelName = Literal["web", "chat", "email", "phone", "telegram", "x", "facebook"]
CategoryName = Literal["stolen_account", "fraud", "account_locked", "withdrawal", "deposit", "kyc",
                       "security", "other"]
IdentityKindName = Literal["email", "phone", "uid", "telegram", "x", "facebook"]
PriorityNumber = Annotated[int, Field(ge=1, le=4, description="1 = P1 (urgent) ... 4 = P4 (low)")]
Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[-a-zA-Z0-9_]+$")]


class TicketOut(Schema):
    number: str
    subject: str
    status: StatusName
    priority: int
    category: str
    channel: str
    language: str
    queue: str | None
    assignee: str | None = Field(description="The assignee's agent number (工号).")
    account_uid: str | None
    contact_id: int
    flags: list[str]
    tags: list[str]
    sla_breached: bool
    created_at: datetime
    updated_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None

    @staticmethod
    def of(ticket: Ticket) -> "TicketOut":
        return TicketOut(
            number=ticket.number, subject=ticket.subject, status=ticket.status,  # type: ignore[arg-type]
            priority=int(ticket.priority), category=ticket.category, channel=ticket.channel,
            language=ticket.language, queue=ticket.queue.slug if ticket.queue else None,
            assignee=(ticket.assignee.agent_number or ticket.assignee.get_username())
            if ticket.assignee else None,
            account_uid=ticket.account.uid if ticket.account else None, contact_id=ticket.contact_id,
            flags=[str(f) for f in ticket.flags], tags=[t.name for t in ticket.tags.all()],
            sla_breached=ticket.sla_breached,
            created_at=ticket.created_at, updated_at=ticket.updated_at,
            first_response_due=ticket.first_response_due, resolution_due=ticket.resolution_due,
        )


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


class ContactIn(Schema):
    kind: IdentityKindName
    value: Address
    display_name: DisplayName = ""


class TicketIn(Schema):
    subject: Subject
    text: Body = Field(
        description="The opening note for agents (internal; the customer does not see it).")
    contact: ContactIn
    channel: ChannelName | None = Field(
        None, description="Where replies go; by default the contact's kind (uid: the web portal).")
    language: Literal["zh-hans", "en"] = "zh-hans"
    category: CategoryName | None = None
    priority: PriorityNumber | None = None
    queue: Slug | None = Field(None, description="An existing queue's slug.")
    account_uid: Uid | None = Field(
        None, description="Link the ticket to this exchange account.")


class TicketUpdate(Schema):
    """Only the fields sent change."""

    status: StatusName | None = None
    priority: PriorityNumber | None = None
    queue: Slug | None = None
    assignee: AgentRef | None = Field(
        None, description="Agent number (工号) or user name; null unassigns.")
    tags: list[TagName] | None = Field(
        None, max_length=20, description="The ticket's tags, all of them: [] removes every tag.")


class MessageOut(Schema):
    seq: int
    direction: Literal["in", "out", "note"]
    channel: str
    text: str
    author: str | None
    delivery: str
    redactions: list[str]
    created_at: datetime

    @staticmethod
    def of(message: Message) -> "MessageOut":
        return MessageOut(
            seq=message.seq, direction=message.direction, channel=message.channel,  # type: ignore[arg-type]
            text=message.body_text, author=message.author.public_name if message.author else None,
            delivery=message.delivery, redactions=[str(r) for r in message.redactions],
            created_at=message.created_at,
        )


class MessagePage(Schema):
    items: list[MessageOut]
    next_after: int | None = Field(description="Pass as `after` for the next page; null at the end.")


class MessageIn(Schema):
    text: Body
    internal: bool = Field(False, description="An internal note; otherwise a reply to the customer, "
                                              "which passes the outbound guard.")


class IdentityOut(Schema):
    kind: str
    value_masked: str
    verified: bool


class ContactOut(Schema):
    id: int
    display_name: str
    language: str
    account_uid: str | None
    identities: list[IdentityOut]
    tickets: list[str] = Field(description="Numbers of the contact's latest tickets, newest first.")

    @staticmethod
    def of(contact: Contact, tickets: list[str]) -> "ContactOut":
        return ContactOut(
            id=contact.pk, display_name=contact.display_name, language=contact.language,
            account_uid=contact.account.uid if contact.account else None,
            identities=[IdentityOut(kind=i.kind, value_masked=i.masked, verified=i.verified_at is not None)
                        for i in contact.identities.all()],
            tickets=tickets,
        )


class LockOut(Schema):
    id: int
    reason: str
    restrictions: list[str]
    since: datetime
    auto_lift_at: datetime | None
    locked_by: str


class AccountOut(Schema):
    uid: str
    email_masked: str
    phone_masked: str
    kyc_name_masked: str
    language: str
    created_at: datetime
    active_locks: list[LockOut]

    @staticmethod
    def of(account: ExchangeAccount, locks: list[LockOut]) -> "AccountOut":
        return AccountOut(
            uid=account.uid, email_masked=mask_email(account.email) if account.email else "",
            phone_masked=mask_phone(account.phone) if account.phone else "",
            kyc_name_masked=account.kyc_name_masked, language=account.language,
            created_at=account.created_at, active_locks=locks,
        )
