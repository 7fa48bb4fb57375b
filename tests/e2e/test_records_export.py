"""The customer downloads their records in Chromium; the PDF opens and the desk vouches for it."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import browser_portal_login
from tests.records.people import ADDRESS, Owner, make_owner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

@pytest.fixture
def owner() -> Owner:
    return make_owner()


CLI = [str(Path(sys.executable).with_name("unlockdesk"))]


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    """The public command, run as an operator would (same data folder, so the same keys)."""
    return subprocess.run([*CLI, "verify-export", str(path)], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=60)


def test_customer_downloads_a_signed_pdf_of_their_records(
    live_server: Any, page: Any, owner: Owner, tmp_path: Path
) -> None:
    browser_portal_login(page, live_server.url, ADDRESS)
    page.click("text=下载我的记录")
    page.click("#prepare-records")
    card = page.locator(".records-export").first
    card.locator(".export-pdf").wait_for(state="visible", timeout=60_000)
    shown_digest = card.locator(".pdf-sha256").inner_text().strip()
    with page.expect_download() as download_info:
        card.locator(".export-pdf").click()
    pdf = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(pdf)
    data = pdf.read_bytes()
    assert pdf.suffix == ".pdf" and hashlib.sha256(data).hexdigest() == shown_digest

    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    rendered = next(tmp_path.glob("page*.png"))
    assert rendered.stat().st_size > 5_000  # a drawn page, not a blank or broken one

    accepted = verify(pdf)
    assert accepted.returncode == 0 and accepted.stdout.startswith("genuine: records PDF"), accepted
    changed = tmp_path / "changed.pdf"
    copy = bytearray(data)
    copy[len(copy) // 2] ^= 0x01
    changed.write_bytes(bytes(copy))
    refused = verify(changed)
    assert refused.returncode == 1 and refused.stdout.startswith("NOT genuine"), refused
