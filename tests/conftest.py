import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DatabaseError, connection
from django.utils import translation

from tests.factories import make_agent
from unlockdesk.staff.models import Agent, Role


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test database, whose PostgreSQL sessions are ended before it is dropped:
    threads that keep their connection (the sockets' database thread, live servers) made the
    drop fail ("being accessed by other users") and left the database behind."""
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        except DatabaseError:  # not allowed to end them: the drop warns, as it did before
            pass


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test writes evidence and attachments into its own folder."""
    settings.UNLOCKDESK_PRIVATE_FILES = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):  # type: ignore[no-untyped-def]
    """Redis outlives each test's rolled-back transaction, and so does the database cache's
    table in live-server tests (a flush empties model tables only): a key prefix per test keeps
    counters such as rate limits from leaking between tests and runs."""
    default = settings.CACHES["default"]
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}


@pytest.fixture(autouse=True)
def _no_subscriptions_held() -> None:
    """The process holds the active webhook subscriptions for a moment; a test's rows are gone
    when it ends (rolled back or flushed), so no test starts with another's."""
    from unlockdesk.intake.outgoing import held

    held.forget()


@pytest.fixture(autouse=True)
def _no_language_left_over() -> Iterator[None]:
    """A request through the test client (LocaleMiddleware) or an activate() leaves its language
    active in the thread: a zh-hant page would make the next test read Traditional labels."""
    yield
    translation.deactivate()


@pytest.fixture
def agent(db) -> Agent:  # type: ignore[no-untyped-def]
    return make_agent(role=Role.AGENT)


@pytest.fixture
def supervisor(db) -> Agent:  # type: ignore[no-untyped-def]
    return make_agent(role=Role.SUPERVISOR)
