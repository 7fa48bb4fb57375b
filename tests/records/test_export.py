"""The records export: what it holds, its signatures, who may fetch it, and its one-day life."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.factories import make_account
from tests.helpers import portal_login
from tests.records.people import ADDRESS, Owner
from unlockdesk.records import services, signing
from unlockdesk.records.models import ExportStatus, RecordsExport
from unlockdesk.safety.models import AuditEntry

pytestmark = pytest.mark.django_db


def built(owner: Owner, language: str = "zh-hans") -> RecordsExport:
    export = services.request_export(customer=owner.customer, language=language)
    return services.build(export.pk)


def files_of(export: RecordsExport) -> tuple[bytes, bytes]:
    storage = export.pdf.storage
    return storage.read_bytes(export.pdf.name), storage.read_bytes(export.json.name)  # type: ignore[attr-defined]


def test_records_hold_tickets_locks_and_the_unlock_decision_but_no_internal_note(owner: Owner) -> None:
    export = built(owner)
    assert export.status == ExportStatus.READY and export.progress == 100 and export.tickets == 2
    pdf, raw = files_of(export)
    records = json.loads(raw)["records"]
    assert [t["number"] for t in records["tickets"]] == [t.number for t in owner.tickets]
    texts = [m["text"] for t in records["tickets"] for m in t["messages"]]
    assert "我们已收到您的申请，正在处理。" in texts and "我的账户被锁了，无法提币" in texts
    assert not any("INTERNAL" in text for text in texts)
    assert "someone else's problem" not in raw.decode()
    picture = records["tickets"][0]["messages"][0]["attachments"][0]
    assert picture["filename"] == "screen.png" and len(picture["sha256"]) == 64
    assert records["locks"][0]["reason_label"] == "风控限制" and records["locks"][0]["lifted_at"] is None
    decision = records["unlock_applications"][0]["decisions"][0]
    assert decision["reasons"] == ["证件照片不清晰"] and decision["decision_label"] == "拒绝"
    assert "REVIEWER-ONLY" not in raw.decode() and b"REVIEWER-ONLY" not in pdf
    assert export.pdf_sha256 == signing.sha256(pdf) and export.json_sha256 == signing.sha256(raw)
    assert export.ready_at and export.expires_at == export.ready_at + timedelta(days=1)


def test_the_pdf_embeds_the_attachment_and_its_fonts(owner: Owner, tmp_path: Path) -> None:
    pdf, _ = files_of(built(owner, language="en"))
    path = tmp_path / "records.pdf"
    path.write_bytes(pdf)
    embedded = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True)
    assert "screen.png" in embedded.stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded, so Chinese renders anywhere


def test_both_files_verify_and_any_changed_byte_is_caught(owner: Owner) -> None:
    for data in files_of(built(owner)):
        assert signing.verify(data).genuine
        for at in (20, len(data) // 2, len(data) - 3):
            changed = bytearray(data)
            changed[at] ^= 0x01
            assert not signing.verify(bytes(changed)).genuine, at
        assert not signing.verify(data + b" ").genuine
        assert not signing.verify(data[:-200]).genuine


def test_a_pdf_signature_does_not_vouch_for_a_json_body(owner: Owner) -> None:
    pdf, raw = files_of(built(owner))
    pdf_signature = pdf[pdf.rfind(b"sig=") + 4:].strip().decode()
    head = json.loads(raw.split(b"\n")[1].rstrip(b",").split(b": ", 1)[1])
    forged = raw.replace(head["value"].encode(), pdf_signature.encode())
    assert not signing.verify(forged).genuine


def test_verify_export_command(owner: Owner, tmp_path: Path) -> None:
    pdf, _ = files_of(built(owner))
    genuine, changed = tmp_path / "records.pdf", tmp_path / "changed.pdf"
    genuine.write_bytes(pdf)
    one_byte = bytearray(pdf)
    one_byte[len(pdf) // 3] ^= 0x20
    changed.write_bytes(bytes(one_byte))
    out = StringIO()
    call_command("verify-export", str(genuine), stdout=out)
    assert out.getvalue().startswith("genuine: records PDF") and signing.sha256(pdf) in out.getvalue()
    out = StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("verify-export", str(changed), stdout=out)
    assert stop.value.code == 1 and out.getvalue().startswith("NOT genuine: the file was changed")


def test_a_customer_reaches_only_their_own_export(owner: Owner, client: Client) -> None:
    export = built(owner)
    make_account(email="other@example.com")
    portal_login(client, "other@example.com")
    for url in (f"/portal/export/{export.public_id}/status/", f"/portal/export/{export.public_id}/pdf/"):
        assert client.get(url).status_code == 404
    assert Client().get(f"/portal/export/{export.public_id}/pdf/").status_code == 302
    portal_login(client, ADDRESS)
    response = client.get(f"/portal/export/{export.public_id}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="records.downloaded", target=export.public_id).count() == 1


def test_asking_builds_on_the_queue_and_reuses_one_under_way(
    owner: Owner, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    portal_login(client, ADDRESS)
    with django_capture_on_commit_callbacks(execute=True) as queued_tasks:
        response = client.post("/portal/export/")
    assert len(queued_tasks) == 1
    assert response.status_code == 302
    export = RecordsExport.objects.get()
    assert export.status == ExportStatus.READY  # tasks run eagerly in tests
    state = client.get(f"/portal/export/{export.public_id}/status/").json()
    assert state["ready"] and state["pdf_sha256"] == export.pdf_sha256
    assert AuditEntry.objects.filter(action="records.export_requested").count() == 1
    queued = services.request_export(customer=owner.customer, language="en")
    assert services.request_export(customer=owner.customer, language="en") == queued


def test_more_than_the_daily_limit_is_refused(owner: Owner) -> None:
    for _ in range(services.DAILY_LIMIT):
        built(owner)
    with pytest.raises(services.TooManyExports):
        services.request_export(customer=owner.customer, language="en")


def test_an_export_expires_after_a_day(owner: Owner, client: Client) -> None:
    export = built(owner)
    assert services.expire_old() == 0
    assert services.expire_old(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.pdf.name and not export.json.name
    portal_login(client, ADDRESS)
    assert client.get(f"/portal/export/{export.public_id}/pdf/").status_code == 404


def test_the_pdf_library_does_not_let_damaged_pictures_through_the_upload_checks() -> None:
    from PIL import ImageFile

    from unlockdesk.records import pdf

    pdf.library()  # WeasyPrint flips a Pillow flag as it is imported
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_pdf_library_is_loaded_by_task_workers_not_by_every_process(tmp_path: Path) -> None:
    """Its import takes over a second: the web and mail processes load the URLs without it."""
    script = ("import sys, django; django.setup(); import unlockdesk.urls; "
              "assert 'weasyprint' not in sys.modules, 'loaded with the URLs'; "
              "from celery.signals import worker_init; worker_init.send(sender=None); "
              "assert 'weasyprint' in sys.modules, 'not loaded by a starting worker'")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "unlockdesk.settings",
           "UNLOCKDESK_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
