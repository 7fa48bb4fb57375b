"""The sockets' database thread keeps its connection between calls (a chat message must not
log in to PostgreSQL again), yet still drops one that failed."""

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.db.backends.signals import connection_created

from unlockdesk.sockets import socket_database

pytestmark = pytest.mark.django_db(transaction=True)


def _query() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _close() -> None:
    connection.close()


def _autocommit() -> bool:
    return connection.get_autocommit()


@pytest.fixture
def connects() -> Any:
    opened: list[object] = []

    def count(sender: object, **kwargs: object) -> None:
        opened.append(kwargs.get("connection"))

    connection_created.connect(count)
    yield opened
    connection_created.disconnect(count)


async def test_calls_share_one_connection_where_channels_opens_one_each(
        connects: list[object], settings: Any) -> None:
    assert not settings.DATABASES["default"]["CONN_MAX_AGE"]  # the shipped default
    await database_sync_to_async(_close)()  # whatever an earlier test left
    connects.clear()
    await database_sync_to_async(_query)()
    await database_sync_to_async(_query)()
    assert len(connects) == 2  # Channels' wrapper: a new login for every call
    for _call in range(3):
        await socket_database(_query)()
    assert len(connects) == 3  # one more, kept for the next calls


async def test_a_connection_left_in_a_transaction_is_replaced_at_the_next_call(
        connects: list[object]) -> None:
    await socket_database(_query)()
    before = len(connects)  # the thread may still hold a connection from an earlier test

    def crash_mid_transaction() -> None:
        connection.set_autocommit(False)  # a handler that died inside a transaction

    await socket_database(crash_mid_transaction)()
    await socket_database(_query)()
    assert len(connects) == before + 1
    assert await socket_database(_autocommit)()


async def test_a_connection_that_failed_is_replaced_at_the_next_call(connects: list[object]) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("an SQLite connection is a local file: Django counts it always usable")
    await socket_database(_query)()
    before = len(connects)

    def break_it() -> None:
        assert connection.connection is not None
        connection.connection.close()  # the server went away
        connection.errors_occurred = True

    await socket_database(break_it)()
    await socket_database(_query)()  # works: a fresh connection
    assert len(connects) == before + 1
