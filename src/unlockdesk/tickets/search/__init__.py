"""Search across tickets: one selector (`search_tickets`), two index stores (PostgreSQL
full-text with GIN, SQLite FTS5), kept in step by the pipeline (`index.index_message`)."""

from unlockdesk.tickets.search.query import SearchHit, SearchPage, search_tickets

__all__ = ["SearchHit", "SearchPage", "search_tickets"]
