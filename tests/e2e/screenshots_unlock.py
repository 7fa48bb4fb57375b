"""The README's unlock screenshots, made in Chromium against the live server.

Not part of the suite (the file name does not start with `test_`); run it on purpose:

    .venv/bin/pytest -q tests/e2e/screenshots_unlock.py

It writes docs/unlock-wizard-identity.png (the identity step on a phone) and
docs/unlock-review.png (the reviewer screen), each palette-reduced below MAX_BYTES. The
pictures are the verification fixtures' drawn ID card and handheld photo, with the note
carrying this run's real date and ticket number, so the automated checks have something
true to say beside them.
"""

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from tests.factories import make_agent
from tests.helpers import browser_console_login, browser_portal_login
from tests.unlock.builders import customer_for, default_reason_templates, locked_account
from tests.verification import pictures
from unlockdesk.accounts.models import Transaction
from unlockdesk.accounts.types import LockReason, TransactionKind
from unlockdesk.staff.models import Role
from unlockdesk.unlock import services
from unlockdesk.unlock.models import UnlockApplication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
MAX_BYTES = 300 * 1024
PHONE = {"width": 390, "height": 844}


def _save(png: bytes, name: str) -> Path:
    """Write the screenshot, reduced to a 256-colour palette when it is over the limit."""
    path = DOCS / name
    if len(png) > MAX_BYTES:
        out = io.BytesIO()
        Image.open(io.BytesIO(png)).convert("RGB").quantize(256, dither=Image.Dither.NONE).save(
            out, format="PNG", optimize=True)
        png = out.getvalue()
    path.write_bytes(png)
    assert len(png) <= MAX_BYTES, f"{name} is {len(png)} bytes"
    return path


def _error_screenshot() -> bytes:
    """What the app shows a locked-out customer (a phone screenshot, landscape to fit the page)."""
    image = Image.new("RGB", (960, 600), (200, 207, 216))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 960, 70), fill=(40, 44, 52))
    draw.text((30, 14), "OKX", fill=(255, 255, 255), font=pictures.font(32, bold=True))
    draw.rounded_rectangle((180, 140, 780, 460), radius=18, fill=(250, 250, 250))
    draw.text((230, 180), "登录失败", fill=(20, 20, 20), font=pictures.font(40, bold=True))
    draw.text((230, 250), "账户已锁定，请联系客服。", fill=(60, 60, 60), font=pictures.font(30))
    draw.text((230, 310), "错误码 50113", fill=(200, 30, 30), font=pictures.font(30, bold=True))
    draw.rounded_rectangle((230, 380, 730, 430), radius=10, fill=(30, 30, 30))
    draw.text((450, 386), "确定", fill=(255, 255, 255), font=pictures.font(28))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _history(account: Any) -> None:
    now = timezone.now()
    rows = [("T8841207", TransactionKind.DEPOSIT, "USDT", "5200", "TQ7x9kPzR2mWq", 9),
            ("T8843316", TransactionKind.TRADE, "BTC", "0.08", "", 6),
            ("T8845590", TransactionKind.WITHDRAWAL, "USDT", "1250", "TJ4sN8vLc3eYd", 2)]
    for tx_id, kind, asset, amount, counterparty, days in rows:
        Transaction.objects.create(account=account, tx_id=tx_id, kind=kind, asset=asset,
                                   amount=Decimal(amount), counterparty=counterparty,
                                   occurred_at=now - timedelta(days=days))


def test_unlock_screenshots_for_the_readme(live_server: Any, browser: Any, new_page: Any,
                                           tmp_path: Path) -> None:
    default_reason_templates()
    account = locked_account(email="zhang.wei@example.com", balance=82000,
                             reason=LockReason.SUSPICIOUS_LOGIN, id_number=pictures.ID_NUMBER)
    _history(account)
    customer = customer_for("zhang.wei@example.com")
    draft = services.start_or_resume(customer)
    draft = services.save_account_step(draft, customer, reference=account.uid, kyc_name=pictures.NAME,
                                       id_number=pictures.ID_NUMBER)
    services.save_problem_step(draft, lock_reason=LockReason.SUSPICIOUS_LOGIN,
                               happened_at=timezone.now() - timedelta(hours=20),
                               blocked=["login", "withdraw"], error_message="错误码 50113：账户已锁定",
                               stolen_reported=False)
    number = UnlockApplication.objects.get(pk=draft.pk).ticket.number
    services.add_evidence(draft, kind="problem_screenshot", filename="error.png",
                          content=_error_screenshot(), actor=customer.actor)
    card = (("id_front", pictures.id_front()), ("id_back", pictures.id_back("2016.03.01-2036.03.01")))
    for kind, picture in card:
        services.add_evidence(draft, kind=kind, filename=f"{kind}.jpg", content=pictures.photo(picture),
                              actor=customer.actor)
    note = pictures.Note(date=timezone.localdate().isoformat(), ticket=number)
    handheld = tmp_path / "IMG_2041.jpg"
    handheld.write_bytes(pictures.photo(pictures.handheld(note)))
    base = live_server.url

    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1,
                                  is_mobile=True, has_touch=True)
    phone = context.new_page()
    browser_portal_login(phone, base, "zhang.wei@example.com")
    phone.goto(f"{base}/portal/unlock/step/3/")
    phone.set_input_files("#file-handheld", str(handheld))
    phone.wait_for_function("() => document.querySelectorAll('#files-handheld img[src]').length === 1")
    phone.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scroll"
    _save(phone.screenshot(full_page=True), "unlock-wizard-identity.png")
    context.close()

    services.save_transactions_step(draft, rows=[{"tx_id": "T8845590", "occurred": "2026-11-23 14:30",
                                                  "kind": "withdrawal", "amount": "1250",
                                                  "counterparty": "TJ4sN8vLc3eYd"}])
    services.submit(UnlockApplication.objects.get(pk=draft.pk), actor=customer.actor)
    application = UnlockApplication.objects.get(pk=draft.pk)
    assert application.status == "in_review", application.status

    reviewer = new_page("en-US")
    reviewer.set_viewport_size({"width": 1360, "height": 900})
    browser_console_login(reviewer, base, make_agent(role=Role.REVIEWER, agent_number="R1001"))
    reviewer.goto(f"{base}/console/unlock/{application.pk}/")
    reviewer.wait_for_function("() => Array.from(document.querySelectorAll('img.evidence'))"
                               ".every(i => i.complete && i.naturalWidth > 0)")
    reviewer.locator(".viewer[data-kind=handheld] button[data-action=zoom-in]").click()
    assert reviewer.locator("#checks-panel tr[data-check=kyc_match][data-status=pass]").count() == 1
    # The evidence, the KYC comparison, the first checks and the decision: the rest of the
    # (long) page would take the picture over the size limit.
    _save(reviewer.screenshot(clip={"x": 0, "y": 0, "width": 1360, "height": 1760}, full_page=True),
          "unlock-review.png")
