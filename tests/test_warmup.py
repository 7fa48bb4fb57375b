"""unlockdesk.warmup: registered steps run once each; a failing step never stops a process."""

import gc
import logging
from collections.abc import Iterator

import pytest

from unlockdesk import warmup
from unlockdesk.helpcenter import index_cache


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    """warm() freezes what the process holds; the test process gives it back afterwards."""
    yield
    gc.unfreeze()


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> list:
    """An empty registry for the test, restored afterwards."""
    registry: list = []
    monkeypatch.setattr(warmup, "_steps", registry)
    return registry


def test_registered_steps_run_once_each(steps: list) -> None:
    calls: list[str] = []

    def step() -> None:
        calls.append("ran")

    warmup.register(step)
    warmup.register(step)  # an app's ready() may run twice
    warmup.warm()
    assert calls == ["ran"]


def test_what_is_loaded_is_kept_out_of_full_collections(steps: list) -> None:
    loaded: list[list[list[str]]] = []
    warmup.register(lambda: loaded.append([["a dictionary the size of jieba's"]]))
    gc.unfreeze()
    warmup.warm()
    assert gc.get_freeze_count() > 0 and gc.is_tracked(loaded[0])
    # Frozen: in no generation a collection walks.
    assert not any(obj is loaded[0] for obj in gc.get_objects())
    gc.unfreeze()
    assert any(obj is loaded[0] for obj in gc.get_objects())


def test_a_failing_step_is_logged_and_the_rest_still_run(
        steps: list, caplog: pytest.LogCaptureFixture) -> None:
    calls: list[str] = []

    def broken() -> None:
        raise RuntimeError("no dictionary")

    warmup.register(broken)
    warmup.register(lambda: calls.append("after"))
    with caplog.at_level(logging.WARNING, logger="unlockdesk.warmup"):
        warmup.warm()
    assert calls == ["after"]
    assert "no dictionary" in caplog.text


def test_the_help_center_registers_its_indexes() -> None:
    assert index_cache.warm in warmup._steps


@pytest.mark.django_db
def test_warming_builds_the_index_the_first_search_uses() -> None:
    index_cache.invalidate()
    warmup.warm()
    before = index_cache.index_for("zh-hans")
    assert index_cache.index_for("zh-hans") is before
    assert before._typos is not None


def test_the_tickets_app_registers_the_ticket_index_conversion_tables_and_task_queue() -> None:
    from unlockdesk import chinese
    from unlockdesk.tickets import queue
    from unlockdesk.tickets.search import analysis

    assert {chinese.load, analysis.load, queue.load} <= set(warmup._steps)


async def test_the_asgi_lifespan_warms_up_before_it_reports_started(steps: list) -> None:
    """uvicorn accepts no connection until startup completes: the first chat message must not
    wait for jieba."""
    from unlockdesk.asgi import application

    ran: list[str] = []
    warmup.register(lambda: ran.append("warm"))
    inbox = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict] = []

    async def receive() -> dict:
        return inbox.pop(0)

    async def send(message: dict) -> None:
        sent.append({**message, "warm_by_then": list(ran)})

    await application({"type": "lifespan"}, receive, send)
    assert sent == [{"type": "lifespan.startup.complete", "warm_by_then": ["warm"]},
                    {"type": "lifespan.shutdown.complete", "warm_by_then": ["warm"]}]
