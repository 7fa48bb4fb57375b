"""Keeping the ticket search index in step with what is stored.

`index_message` runs where every message is stored (`append_message`), in the same
transaction: a message that rolls back leaves no trace in the index, and a committed one is
findable at once; no nightly job. It indexes the stored text, which for inbound items is the
redacted text: a secret never reaches the index because it never reaches the database.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from django.db import connection

from unlockdesk.prepared import PreparedRead
from unlockdesk.tickets.models import ContactIdentity, Message, Ticket
from unlockdesk.tickets.search import backends
from unlockdesk.tickets.search.analysis import segment


def head_text(number: str, subject: str, contact_name: str, identities: Iterable[str],
              uid: str) -> str:
    """What names the case: number, subject, who wrote (name, addresses, handles), UID."""
    return segment(" ".join([number, subject, contact_name, *identities, uid]))


def message_text(subject: str, body: str) -> str:
    return segment(f"{subject}\n{body}" if subject else body)


# A known contact's addresses and handles for a new ticket's head, compiled once: every new
# ticket from someone who wrote before reads them.
_IDENTITIES = PreparedRead(
    lambda contact_id: ContactIdentity.objects.filter(contact_id=contact_id).order_by("pk"), int)


def _ticket_head(ticket: Ticket) -> str:
    contact = ticket.contact
    known = getattr(contact, "_prefetched_objects_cache", {}).get("identities")  # a new contact's
    identities = [identity.value for identity in (_IDENTITIES(contact.pk) if known is None else known)]
    uid = ticket.account.uid if ticket.account_id and ticket.account else ""
    return head_text(ticket.number, ticket.subject, contact.display_name, identities, uid)


def index_message(message: Message) -> None:
    """Add one stored message to its ticket's document; the first also writes the head."""
    index_messages(message.ticket, [message])


def index_messages(ticket: Ticket, messages: Sequence[Message]) -> None:
    """Add messages stored together on `ticket` (in seq order) with one write: an inbound
    item and the acknowledgement stored with it cost one statement, not two."""
    assignment = indexed_with_row(ticket, messages)
    if assignment is not None:
        backends.current().write_row(ticket.pk, assignment)


def indexed_with_row(ticket: Ticket, messages: Sequence[Message]) -> tuple[str, list[object]] | None:
    """index_messages() for a caller that writes the ticket row next: where the index lives on
    the row (PostgreSQL), the assignment for that UPDATE, so the row gets one new version,
    not two; elsewhere the index is written now, and None."""
    if not messages:
        return None
    backend = backends.current()
    head, body = _document(ticket, messages)
    assignment = backend.row_assignment(head, body)
    if assignment is None:
        if head is not None:
            backend.set_document(ticket.pk, head, body)
        else:
            backend.append(ticket.pk, body)
    return assignment


def _document(ticket: Ticket, messages: Sequence[Message]) -> tuple[str | None, str]:
    """(the head, when `messages` begin the ticket; their text)."""
    body = "\n".join(message_text("" if m.subject == ticket.subject else m.subject, m.body_text)
                     for m in messages)
    return (_ticket_head(ticket) if messages[0].seq == 1 else None), body


def reindex_ticket(ticket: Ticket) -> None:
    """Rewrite a ticket's document from what is stored (after a subject change, say)."""
    bodies = [message_text("" if subject == ticket.subject else subject, body)
              for subject, body in ticket.messages.order_by("seq").values_list("subject", "body_text")]
    backends.current().set_document(ticket.pk, _ticket_head(ticket), "\n".join(bodies))


def _batches(batch: int) -> Iterator[list[tuple[int, str, str, str, str]]]:
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT t.id, t.number, t.subject, c.display_name, coalesce(a.uid, '') "
                "FROM tickets_ticket t JOIN tickets_contact c ON c.id = t.contact_id "
                "LEFT JOIN accounts_exchangeaccount a ON a.id = t.account_id "
                "WHERE t.id > %s ORDER BY t.id LIMIT %s", [last, batch])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][0]


def rebuild_all(batch: int = 500) -> int:
    """Index every ticket from the stored rows (raw SQL, so migrations can call it too)."""
    store = backends.current()
    done = 0
    for rows in _batches(batch):
        span = [rows[0][0], rows[-1][0]]
        bodies: dict[int, list[str]] = defaultdict(list)
        idents: dict[int, list[str]] = defaultdict(list)
        with connection.cursor() as cursor:
            cursor.execute("SELECT ticket_id, subject, body_text FROM tickets_message "
                           "WHERE ticket_id BETWEEN %s AND %s ORDER BY ticket_id, seq", span)
            for ticket_id, subject, body in cursor.fetchall():
                bodies[ticket_id].append(message_text(subject, body))
            cursor.execute("SELECT t.id, i.value FROM tickets_ticket t JOIN tickets_contactidentity i "
                           "ON i.contact_id = t.contact_id WHERE t.id BETWEEN %s AND %s", span)
            for ticket_id, value in cursor.fetchall():
                idents[ticket_id].append(value)
        for ticket_id, number, subject, name, uid in rows:
            head = head_text(number, subject, name, idents[ticket_id], uid)
            store.set_document(ticket_id, head, "\n".join(bodies[ticket_id]))
        done += len(rows)
    return done
