"""`PORT=N make demo` as a newcomer runs it: the links in what the demo sends point at port N,
and Ctrl-C stops it (worker included) promptly."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.intake.servers import free_port

pytestmark = pytest.mark.e2e


def _wait_up(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the demo exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)  # polling the port with a deadline, not a fixed wait
    raise RuntimeError(f"{url} did not answer")


def test_demo_on_another_port_sends_links_to_that_port_and_stops_on_ctrl_c(
        tmp_path: Path, browser: Any) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "UNLOCKDESK_SITE_URL",
                        "UNLOCKDESK_TEST_DB_NAME", "UNLOCKDESK_TASKS_EAGER", "UNLOCKDESK_SMS_BACKEND"}}
    env.update(PORT=str(port), UNLOCKDESK_DATA_DIR=str(tmp_path / "var"), UNLOCKDESK_DEMO="1")
    demo = subprocess.Popen([sys.executable, "-m", "unlockdesk.cli", "demo"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(f"{base}/help/", demo)
        context = browser.new_context(locale="en-US")
        page = context.new_page()
        page.goto(f"{base}/portal/signin/")
        page.fill("#id_address", "locked@example.com")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/portal/signin/code/")
        page.goto(f"{base}/demo/outbox/?to=locked@example.com")
        text = page.inner_text("#outbox")
        context.close()
        assert f"{base}/" in text and "127.0.0.1:8000" not in text
        started = time.monotonic()
        os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
        demo.wait(timeout=30)
        assert time.monotonic() - started < 20
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
