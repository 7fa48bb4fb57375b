"""The two stores of the ticket search index, behind one small interface.

PostgreSQL: a `search_document tsvector` column on `tickets_ticket` with a GIN index. It is
not a model field, so ordinary ticket reads never load it; it is written only here. The head
(number, subject, contact, UID) has weight A, messages the default D, and each message is
*appended* (`||`): only the new text is parsed, but the row's whole tsvector is written again
and its keys go to the GIN index again, so a long conversation's message costs more than a
short one's (as FTS5's UPDATE below re-tokenizes the whole body: measured on SQLite, 3.4 ms a
message at the start of a chat, 7.3 ms by its 2,000th; per-message index rows would end it).

SQLite (the embedded default): an FTS5 table `tickets_search(head, body)` whose rowid is the
ticket id, tokenized by `porter unicode61` (English stems; Chinese arrives already cut into
words by `analysis.segment`).

Both take text already passed through `segment()`; both answer "which tickets match" as a SQL
condition on `tickets_ticket` (so filters and permissions stay in the ORM query) and "how well"
as scores for a bounded list of ids, higher is better.
"""

from collections.abc import Sequence
from typing import Any, Protocol

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

# tsvector values cannot pass 1 MB; a conversation past this keeps its earlier text indexed.
_PG_DOCUMENT_LIMIT = 512 * 1024


class SearchBackend(Protocol):
    def install(self, conn: BaseDatabaseWrapper) -> None: ...
    def uninstall(self, conn: BaseDatabaseWrapper) -> None: ...
    def set_document(self, ticket_id: int, head: str, body: str) -> None: ...
    def append(self, ticket_id: int, body: str) -> None: ...
    def row_assignment(self, head: str | None, body: str) -> tuple[str, list[object]] | None: ...
    def write_row(self, ticket_id: int, assignment: tuple[str, list[object]]) -> None: ...
    def match_sql(self, query: str) -> tuple[str, list[object]] | None: ...
    def scores(self, query: str, ticket_ids: Sequence[int]) -> dict[int, float]: ...


class PostgresBackend:
    CONFIG = "english"

    def install(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute("ALTER TABLE tickets_ticket ADD COLUMN IF NOT EXISTS search_document tsvector")
            cursor.execute("CREATE INDEX IF NOT EXISTS ticket_search_document "
                           "ON tickets_ticket USING gin (search_document)")

    def uninstall(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS ticket_search_document")
            cursor.execute("ALTER TABLE tickets_ticket DROP COLUMN IF EXISTS search_document")

    def set_document(self, ticket_id: int, head: str, body: str) -> None:
        self.write_row(ticket_id, self.row_assignment(head, body))

    def append(self, ticket_id: int, body: str) -> None:
        self.write_row(ticket_id, self.row_assignment(None, body))

    def row_assignment(self, head: str | None, body: str) -> tuple[str, list[object]]:
        """`search_document = ...` for the ticket row's UPDATE: the whole document with `head`,
        else `body` appended (unless the document has reached its limit). The pipeline adds
        it to its own write of the row: one row version per item, not two."""
        if head is not None:
            return ("search_document = setweight(to_tsvector(%s::regconfig, %s), 'A') "
                    "|| to_tsvector(%s::regconfig, %s)",
                    [self.CONFIG, head, self.CONFIG, body[:_PG_DOCUMENT_LIMIT]])
        return ("search_document = CASE WHEN coalesce(pg_column_size(search_document), 0) < %s "
                "THEN coalesce(search_document, ''::tsvector) || to_tsvector(%s::regconfig, %s) "
                "ELSE search_document END", [_PG_DOCUMENT_LIMIT, self.CONFIG, body])

    def write_row(self, ticket_id: int, assignment: tuple[str, list[object]]) -> None:
        sql, params = assignment
        values: list[Any] = [*params, ticket_id]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE tickets_ticket SET {sql} WHERE id = %s", values)  # noqa: S608 - ours

    def match_sql(self, query: str) -> tuple[str, list[object]] | None:
        if not any(ch.isalnum() for ch in query):
            return None
        return ('"tickets_ticket"."search_document" @@ plainto_tsquery(%s::regconfig, %s)',
                [self.CONFIG, query])

    def scores(self, query: str, ticket_ids: Sequence[int]) -> dict[int, float]:
        if not ticket_ids or not any(ch.isalnum() for ch in query):
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_rank_cd(search_document, plainto_tsquery(%s::regconfig, %s)) "
                "FROM tickets_ticket WHERE id = ANY(%s) AND search_document IS NOT NULL",
                [self.CONFIG, query, list(ticket_ids)])
            return {pk: float(score) for pk, score in cursor.fetchall()}


def fts5_query(query: str) -> str:
    """Each word a quoted FTS5 string (its syntax characters mean nothing), all required.
    unicode61 splits a quoted `alice@example.com` into a phrase of its parts, as it did the
    document."""
    words = [w for w in query.split() if any(ch.isalnum() for ch in w)]
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


class SqliteBackend:
    def install(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS tickets_search USING fts5("
                           "head, body, tokenize = 'porter unicode61 remove_diacritics 2')")
            # `rank` weighs the head (number, subject, contact) 4x a message.
            cursor.execute("INSERT INTO tickets_search (tickets_search, rank) "
                           "VALUES ('rank', 'bm25(4.0, 1.0)')")

    def uninstall(self, conn: BaseDatabaseWrapper) -> None:
        with conn.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS tickets_search")

    def set_document(self, ticket_id: int, head: str, body: str) -> None:
        with connection.cursor() as cursor:
            # FTS5 honours OR REPLACE on the rowid: the old document's terms are removed.
            cursor.execute("INSERT OR REPLACE INTO tickets_search (rowid, head, body) "
                           "VALUES (%s, %s, %s)", [ticket_id, head, body])

    def append(self, ticket_id: int, body: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE tickets_search SET body = body || ' ' || %s WHERE rowid = %s",
                           [body, ticket_id])
            if cursor.rowcount == 0:
                cursor.execute(
                    "INSERT INTO tickets_search (rowid, head, body) VALUES (%s, '', %s)",
                    [ticket_id, body])

    def row_assignment(self, head: str | None, body: str) -> None:
        """None: the index is a table of its own, written by set_document and append."""
        return None

    def write_row(self, ticket_id: int, assignment: tuple[str, list[object]]) -> None:
        raise NotImplementedError("the FTS5 index is not on the ticket row")

    def match_sql(self, query: str) -> tuple[str, list[object]] | None:
        expression = fts5_query(query)
        if not expression:
            return None
        return ('"tickets_ticket"."id" IN '
                "(SELECT rowid FROM tickets_search WHERE tickets_search MATCH %s)", [expression])

    def scores(self, query: str, ticket_ids: Sequence[int]) -> dict[int, float]:
        expression = fts5_query(query)
        if not ticket_ids or not expression:
            return {}
        wanted = set(ticket_ids)
        with connection.cursor() as cursor:
            # FTS5's own `rank` (bm25, lower is better) over every match, ordered, is far
            # cheaper than seeking each candidate's rowid (measured: 0.1 s against 1-2 s for a
            # common word over 100,000 tickets); the candidates are then picked out here.
            cursor.execute("SELECT rowid, rank FROM tickets_search WHERE tickets_search MATCH %s "
                           "ORDER BY rank", [expression])
            return {pk: -float(score) for pk, score in cursor.fetchall() if pk in wanted}


def backend_for(conn: BaseDatabaseWrapper) -> SearchBackend:
    if conn.vendor == "postgresql":
        return PostgresBackend()
    if conn.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"ticket search has no backend for {conn.vendor}")


def current() -> SearchBackend:
    return backend_for(connection)
