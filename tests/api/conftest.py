"""API v1 tests talk to a live server over real HTTP (middleware, auth and CSRF as deployed)."""

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.factories import make_agent
from unlockdesk.api import keys
from unlockdesk.staff.models import Agent, Role

MakeKey = Callable[..., str]


@pytest.fixture
def integration_agent(transactional_db: Any) -> Agent:
    """The staff account the risk engine's key acts as."""
    return make_agent(role=Role.AGENT, username="risk-engine", agent_number="R0001")


@pytest.fixture
def make_key(integration_agent: Agent) -> MakeKey:
    def make(*scopes: str, **options: Any) -> str:
        _key, token = keys.create_key(name="risk engine", agent=integration_agent,
                                      scopes=scopes or ("tickets:read",), actor="test", **options)
        return token

    return make


@pytest.fixture
def http(live_server: Any) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{live_server.url}/api/v1", timeout=30) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
