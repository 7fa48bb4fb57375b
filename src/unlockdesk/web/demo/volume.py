"""`load-volume`: realistic synthetic tickets at scale, for capacity planning and the benchmark.

Tickets in zh and en on every channel, status and priority, over two years; contacts with
emails, phones and handles; accounts with UIDs and transactions with hashes; every ticket
indexed for search exactly as the pipeline would index it (same `segment()`); open tickets
with the SLA clocks their policy sets (`volume_sla`).

PostgreSQL is filled with `COPY` inside one transaction, with the bulk tables' secondary
indexes dropped first and rebuilt at the end (a failed load leaves nothing behind); SQLite
with batched inserts. Every synthetic ticket carries the flag `synthetic`; the loader refuses
a database holding any other ticket unless forced, so it never mixes into a real desk.
"""

import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Max

from unlockdesk.accounts.models import ExchangeAccount, Transaction
from unlockdesk.staff.models import Agent
from unlockdesk.tickets.models import (
    Contact,
    ContactIdentity,
    Delivery,
    Direction,
    Message,
    Priority,
    Queue,
    SlaTarget,
    Status,
    Ticket,
)
from unlockdesk.tickets.numbering import ALPHABET, LENGTH
from unlockdesk.tickets.search.analysis import segment
from unlockdesk.tickets.search.index import head_text
from unlockdesk.tickets.types import Channel, IdentityKind
from unlockdesk.web.demo import volume_sla
from unlockdesk.web.demo import volume_texts as texts

SYNTHETIC_FLAG = "synthetic"
_SPAN = timedelta(days=730)
_CHANNELS = [(Channel.EMAIL, 30), (Channel.CHAT, 25), (Channel.WEB, 15), (Channel.PHONE, 10),
             (Channel.TELEGRAM, 10), (Channel.X, 5), (Channel.FACEBOOK, 5)]
_PRIORITIES = [(Priority.URGENT, 5), (Priority.HIGH, 20), (Priority.NORMAL, 60), (Priority.LOW, 15)]
_OPEN = [Status.NEW, Status.OPEN, Status.WAITING_CUSTOMER, Status.WAITING_US]
_QUEUES = ["general", "security", "unlock", "payments", "kyc"]


class VolumeRefused(Exception):
    """The database holds tickets load-volume did not make."""


@dataclass(frozen=True)
class VolumePlan:
    tickets: int
    messages_per_ticket: int
    accounts: int
    seed: int = 13


@dataclass(frozen=True)
class VolumeReport:
    tickets: int
    messages: int
    accounts: int
    contacts: int
    transactions: int
    seconds: float


def foreign_tickets_exist() -> bool:
    """Whether any ticket was not made by load-volume (real customers' or the demo's)."""
    return Ticket.objects.exclude(flags=[SYNTHETIC_FLAG]).exists()


def load_volume(plan: VolumePlan, *, force: bool = False,
                progress: Callable[[str], None] = lambda line: print(
                    f"{time.strftime('%H:%M:%S', time.gmtime())} {line}", file=sys.stderr, flush=True),
                ) -> VolumeReport:
    """Add `plan.tickets` synthetic tickets (and their contacts, accounts, messages)."""
    if not force and foreign_tickets_exist():
        raise VolumeRefused
    started = time.monotonic()
    writer: _Writer = _PgWriter() if connection.vendor == "postgresql" else _SqliteWriter()
    with transaction.atomic():
        if isinstance(writer, _PgWriter):
            writer.prepare()
        counts = _Generator(plan, writer, progress).run()
        writer.finish(progress)
    if isinstance(writer, _PgWriter) and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # VACUUM cannot run inside a transaction
            cursor.execute("VACUUM ANALYZE tickets_ticket")
            cursor.execute("ANALYZE")
    return VolumeReport(**counts, seconds=time.monotonic() - started)


# --- writing rows -------------------------------------------------------------------------

class _Writer(Protocol):
    def write(self, model: type[models.Model], columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> None: ...
    def documents(self, rows: Iterable[tuple[int, str, str]]) -> None: ...
    def finish(self, progress: Callable[[str], None]) -> None: ...


def _defaults(model: type[models.Model], columns: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
    """The columns we do not fill, with each field's default: fields other work adds later
    keep loading as long as they have a default."""
    extra: list[str] = []
    values: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.column in columns or field.generated:  # the database computes generated ones
            continue
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        else:
            raise ValueError(f"load-volume does not know how to fill {model.__name__}.{field.name}")
        extra.append(str(field.column))
        values.append(json.dumps(value) if isinstance(value, list | dict) else value)
    return extra, tuple(values)


class _PgWriter:
    """COPY into the tables; secondary indexes of the big tables are rebuilt at the end."""

    BIG = (Ticket, Message, ContactIdentity, Contact, Transaction)

    def __init__(self) -> None:
        self._indexes: list[str] = []

    def prepare(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Rows are written parents first, so foreign keys hold as each row lands; checking
            # them one by one would cost a trigger per message. A superuser skips the triggers
            # (the generator makes consistent rows by construction); anyone else checks now.
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            if row and row[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in self.BIG:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
                    "AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
                    "WHERE conrelid = %s::regclass)", [table, table])
                for name, definition in cursor.fetchall():
                    self._indexes.append(definition)
                    cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("CREATE TEMP TABLE volume_documents "
                           "(id bigint PRIMARY KEY, head text, body text) ON COMMIT DROP")

    def write(self, model: type[models.Model], columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> None:
        extra, values = _defaults(model, columns)
        names = ", ".join(f'"{c}"' for c in [*columns, *extra])
        with connection.cursor() as cursor, cursor.cursor.copy(
                f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row + values)

    def documents(self, rows: Iterable[tuple[int, str, str]]) -> None:
        with connection.cursor() as cursor, cursor.cursor.copy(
                "COPY volume_documents (id, head, body) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self, progress: Callable[[str], None]) -> None:
        with connection.cursor() as cursor:
            progress("search documents (to_tsvector)...")
            cursor.execute(
                "UPDATE tickets_ticket t SET search_document = "
                "setweight(to_tsvector('english', d.head), 'A') || to_tsvector('english', d.body) "
                "FROM volume_documents d WHERE t.id = d.id")
            cursor.execute("DROP TABLE volume_documents")
            for definition in self._indexes:
                progress(f"index: {definition[:90]}")
                cursor.execute(definition)
            for model in (*self.BIG, ExchangeAccount, SlaTarget):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our table names
                               f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")


class _SqliteWriter:
    BATCH = 5000

    def write(self, model: type[models.Model], columns: Sequence[str],
              rows: Iterable[tuple[Any, ...]]) -> None:
        extra, values = _defaults(model, columns)
        names = ", ".join(f'"{c}"' for c in [*columns, *extra])
        marks = ", ".join("?" * (len(columns) + len(extra)))
        sql = f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})'  # noqa: S608
        raw = connection.connection.cursor()
        for batch in _chunks(rows, self.BATCH):
            raw.executemany(sql, [row + values for row in batch])

    def documents(self, rows: Iterable[tuple[int, str, str]]) -> None:
        raw = connection.connection.cursor()
        for batch in _chunks(rows, self.BATCH):
            raw.executemany("INSERT INTO tickets_search (rowid, head, body) VALUES (?, ?, ?)", batch)

    def finish(self, progress: Callable[[str], None]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _chunks(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- generating rows ----------------------------------------------------------------------

def _number(ticket_id: int) -> str:
    """A unique, random-looking ticket number: an odd multiplier is a bijection mod 32^6."""
    value = (ticket_id * 0x9E3779B1) % (len(ALPHABET) ** LENGTH)
    symbols = []
    for _ in range(LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    return f"{settings.BRAND.ticket_prefix}-{''.join(reversed(symbols))}"


def _next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1


class _Generator:
    def __init__(self, plan: VolumePlan, writer: _Writer, progress: Callable[[str], None]) -> None:
        self.plan = plan
        self.writer = writer
        self.progress = progress
        self.rng = random.Random(plan.seed)
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.sqlite = connection.vendor == "sqlite"
        self.segmented: dict[str, str] = {}
        self.clocks = volume_sla.VolumeClocks(self.now, _next_id(SlaTarget), self._dt_or_none)
        self.sla_targets: list[tuple[Any, ...]] = []

    def _dt(self, value: datetime) -> Any:
        return value.strftime("%Y-%m-%d %H:%M:%S") if self.sqlite else value

    def _dt_or_none(self, value: datetime | None) -> Any:
        return None if value is None else self._dt(value)

    def _seg(self, sentence: str) -> str:
        found = self.segmented.get(sentence)
        if found is None:
            found = self.segmented[sentence] = segment(sentence)
        return found

    def run(self) -> dict[str, int]:
        plan = self.plan
        queues = [Queue.objects.get_or_create(slug=s, defaults={"name": s.title()})[0].pk
                  for s in _QUEUES]
        agents: list[int | None] = [*Agent.objects.values_list("pk", flat=True)[:50]] or [None]
        accounts = self._accounts()
        contacts = self._contacts(max(1, plan.tickets // 2), accounts)
        self.progress(f"accounts {len(accounts)}, contacts {len(contacts)}; tickets...")
        first_ticket = _next_id(Ticket)
        first_message = _next_id(Message)
        tickets: list[tuple[Any, ...]] = []
        documents: list[tuple[int, str, str]] = []
        messages: list[tuple[Any, ...]] = []
        messages_total = 0

        def flush() -> None:
            # Parents first: tickets, then their documents and messages.
            self.writer.write(Ticket, self.TICKET_COLUMNS, tickets)
            self.writer.write(SlaTarget, volume_sla.TARGET_COLUMNS, self.sla_targets)
            self.writer.documents(documents)
            self.writer.write(Message, self.MESSAGE_COLUMNS, messages)
            tickets.clear()
            self.sla_targets.clear()
            documents.clear()
            messages.clear()

        for row in self._messages(first_ticket, first_message, contacts, accounts, queues,
                                  agents, tickets, documents):
            messages.append(row)
            messages_total += 1
            if len(messages) >= 20000 and row[2] == plan.messages_per_ticket:
                flush()
            if messages_total % 500000 == 0:
                self.progress(f"messages {messages_total:,}")
        flush()
        return {"tickets": plan.tickets, "messages": messages_total, "accounts": len(accounts),
                "contacts": len(contacts), "transactions": len(accounts) * 3}

    def _accounts(self) -> list[tuple[int, str, list[str]]]:
        """(id, uid, transaction hashes) of the synthetic accounts, three transactions each."""
        rng = self.rng
        first = _next_id(ExchangeAccount)
        first_tx = _next_id(Transaction)
        rows, tx_rows, out = [], [], []
        for n in range(self.plan.accounts):
            pk = first + n
            uid = str(600000000 + pk)
            created = self.now - _SPAN * rng.random()
            rows.append((pk, uid, f"u{uid}@example.net", "", "zh-hans", "Asia/Shanghai",
                         self._dt(created)))
            hashes = []
            for j in range(3):
                tx_hash = "0x" + rng.getrandbits(256).to_bytes(32, "big").hex()
                hashes.append(tx_hash)
                tx_rows.append((first_tx + n * 3 + j, pk, f"T{pk}{j:02d}", tx_hash,
                                self._dt(created + timedelta(days=rng.random() * 300)),
                                rng.choice(["deposit", "withdrawal", "transfer"]),
                                rng.choice(texts.COINS), f"{rng.random() * 5000:.2f}", ""))
            out.append((pk, uid, hashes))
        self.writer.write(ExchangeAccount, ["id", "uid", "email", "phone", "language", "time_zone",
                                            "created_at"], rows)
        self.writer.write(Transaction, ["id", "account_id", "tx_id", "tx_hash", "occurred_at",
                                        "kind", "asset", "amount", "counterparty"], tx_rows)
        return out

    def _contacts(self, count: int, accounts: list[tuple[int, str, list[str]]],
                  ) -> list[tuple[int, str, int | None, list[str], bool]]:
        """(id, display name, account id, identity values, Chinese?) per contact."""
        rng = self.rng
        first = _next_id(Contact)
        first_identity = _next_id(ContactIdentity)
        rows, identity_rows, out = [], [], []
        identity_id = first_identity
        for n in range(count):
            pk = first + n
            chinese = rng.random() < 0.7
            name = rng.choice(texts.NAMES_ZH if chinese else texts.NAMES_EN)
            account = accounts[rng.randrange(len(accounts))][0] if accounts and rng.random() < 0.5 else None
            handle = f"@{'trader' if chinese else 'hodl'}_{pk}"
            values = [(IdentityKind.EMAIL, f"c{pk}@example.com"),
                      (IdentityKind.PHONE, f"+86139{pk % 100000000:08d}")]
            kind = rng.choice([IdentityKind.TELEGRAM, IdentityKind.X, IdentityKind.FACEBOOK])
            values.append((kind, f"{ {'telegram': 'tg', 'x': 'x', 'facebook': 'fb'}[kind] }:{pk}"))
            display = handle if kind == IdentityKind.X else name
            rows.append((pk, display, "zh-hans" if chinese else "en", account,
                         self._dt(self.now - _SPAN)))
            for kind_value, value in values:
                identity_rows.append((identity_id, pk, kind_value, value, None))
                identity_id += 1
            out.append((pk, display, account, [v for _k, v in values], chinese))
        self.writer.write(Contact, ["id", "display_name", "language", "account_id", "created_at"], rows)
        self.writer.write(ContactIdentity, ["id", "contact_id", "kind", "value", "verified_at"],
                          identity_rows)
        return out

    TICKET_COLUMNS = ["id", "number", "subject", "category", "priority", "status", "channel",
                      "language", "contact_id", "account_id", "assignee_id", "queue_id", "flags",
                      "created_at", "updated_at", "resolved_at", "last_seq",
                      *volume_sla.TICKET_COLUMNS]
    MESSAGE_COLUMNS = ["id", "ticket_id", "seq", "direction", "channel", "external_id", "subject",
                       "body_text", "body_html", "author_id", "contact_id", "redactions", "headers",
                       "delivery", "created_at"]

    def _messages(self, first_ticket: int, first_message: int,
                  contacts: list[tuple[int, str, int | None, list[str], bool]],
                  accounts: list[tuple[int, str, list[str]]], queues: list[int],
                  agents: list[int | None], tickets: list[tuple[Any, ...]],
                  documents: list[tuple[int, str, str]]) -> Iterator[tuple[Any, ...]]:
        """Message rows, ticket by ticket; each ticket's row and document go to the lists."""
        rng, plan = self.rng, self.plan
        channels = [c for c, w in _CHANNELS for _ in range(w)]
        priorities = [p for p, w in _PRIORITIES for _ in range(w)]
        uid_of = {pk: (uid, hashes) for pk, uid, hashes in accounts}
        flags = json.dumps([SYNTHETIC_FLAG])
        message_id = first_message
        for n in range(plan.tickets):
            pk = first_ticket + n
            contact_id, display, account_id, identities, chinese = contacts[rng.randrange(len(contacts))]
            channel = rng.choice(channels)
            created = self.now - _SPAN * (rng.random() ** 1.3)
            age = self.now - created
            # Still-active cases were touched at different moments recently, not all "now".
            latest = max(created, self.now - timedelta(minutes=rng.random() * 600))
            updated = min(latest, created + timedelta(hours=rng.random() * 24 * 20))
            recent = age < timedelta(days=30)
            status = rng.choice(_OPEN) if (recent and rng.random() < 0.6) or rng.random() < 0.02 else (
                rng.choice([Status.RESOLVED, Status.CLOSED]))
            subject = rng.choice(texts.SUBJECTS_ZH if chinese else texts.SUBJECTS_EN)
            number = _number(pk)
            uid, hashes = uid_of.get(account_id, ("", [])) if account_id else ("", [])
            step = (updated - created) / max(1, plan.messages_per_ticket)
            priority, queue = int(rng.choice(priorities)), rng.choice(queues)
            last_inbound = max(1, plan.messages_per_ticket - (0 if plan.messages_per_ticket % 2 else 1))
            clocks = self.clocks.clocks(
                ticket_id=pk, status=status, priority=priority, queue_id=queue, created=created,
                answered=created + step, last_customer=created + step * (last_inbound - 1),
                breached=rng.random() < 0.03, targets=self.sla_targets)
            tickets.append((
                pk, number, subject, "other", priority, status, channel,
                "zh-hans" if chinese else "en", contact_id, account_id,
                rng.choice(agents) if rng.random() < 0.6 else None, queue, flags,
                self._dt(created), self._dt(updated),
                self._dt(updated) if status in (Status.RESOLVED, Status.CLOSED) else None,
                plan.messages_per_ticket, *clocks))
            bodies: list[str] = []
            for seq in range(1, plan.messages_per_ticket + 1):
                direction = Direction.INBOUND if seq % 2 else (
                    Direction.NOTE if rng.random() < 0.1 else Direction.OUTBOUND)
                if direction == Direction.INBOUND:
                    pool = texts.CUSTOMER_ZH if chinese else texts.CUSTOMER_EN
                elif direction == Direction.OUTBOUND:
                    pool = texts.AGENT_ZH if chinese else texts.AGENT_EN
                else:
                    pool = texts.NOTES
                sentences = rng.sample(pool, rng.randint(1, 3))
                extra = ""
                if direction == Direction.INBOUND and rng.random() < 0.3:
                    extra = (f" {rng.choice(hashes)}" if hashes and rng.random() < 0.5 else
                             f" {rng.randint(10, 99999)}.{rng.randint(0, 99):02d} {rng.choice(texts.COINS)}")
                body = "".join(sentences) if chinese else " ".join(sentences)
                bodies.append(" ".join(self._seg(s) for s in sentences) + extra)
                outbound = direction == Direction.OUTBOUND
                yield (message_id, pk, seq, direction, channel,
                       f"lv:{pk}:{seq}" if direction == Direction.INBOUND else "",
                       subject if seq == 1 else "", body + extra, "",
                       None, contact_id if direction == Direction.INBOUND else None, "[]", "{}",
                       Delivery.SENT if outbound else Delivery.NOT_APPLICABLE,
                       self._dt(created + step * (seq - 1)))
                message_id += 1
            head = head_text(number, subject, display, identities, uid)
            documents.append((pk, head, "\n".join(bodies)))
