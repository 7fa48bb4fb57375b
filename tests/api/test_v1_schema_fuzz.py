"""schemathesis against the live server with a real key: no server error on any generated
request, and every answer (status, content type, headers, body) conforms to the OpenAPI schema."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import MakeKey
from tests.factories import make_account, receive_one

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
# The coverage and stateful phases (boundary values of every parameter and chains of calls,
# ~800 cases, two minutes on a busy machine) run with
# UNLOCKDESK_FUZZ_PHASES=examples,coverage,fuzzing,stateful; the suite keeps it short.
PHASES = os.environ.get("UNLOCKDESK_FUZZ_PHASES", "examples,fuzzing")
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance",
])


@pytest.mark.parametrize(("scopes", "tag"), [
    (("tickets:read", "tickets:write", "accounts:read"), None),
    # Alone, so no ticket event is ever sent to a generated subscription URL (a random host).
    (("webhooks:admin",), "webhooks"),
], ids=["tickets-and-accounts", "webhooks"])
def test_every_generated_request_gets_a_conforming_answer(
    live_server: Any, make_key: MakeKey, tmp_path: Path, scopes: tuple[str, ...], tag: str | None
) -> None:
    make_account(uid="30000009")
    receive_one(text="my account is locked")
    token = make_key(*scopes, rate_per_minute=1_000_000)
    run = subprocess.run(
        [SCHEMATHESIS, "run", f"{live_server.url}/api/v1/openapi.json",
         "--header", f"Authorization: Bearer {token}", "--checks", CHECKS,
         "--max-examples", "10", "--workers", "1", "--seed", "20261206", "--no-shrink",
         "--phases", PHASES, "--request-timeout", "20",
         *(["--include-tag", tag] if tag else []),
         "--generation-database", "none", "--no-color", "--warnings", "off"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "No issues found" in run.stdout, run.stdout[-3000:]
