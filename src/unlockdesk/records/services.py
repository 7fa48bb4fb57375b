"""Asking for, building and retiring a customer's records export."""

import logging
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from unlockdesk.records import pdf, signing
from unlockdesk.records.collect import collect
from unlockdesk.records.models import LIFETIME, ExportStatus, RecordsExport
from unlockdesk.safety import audit
from unlockdesk.tickets.customer_session import Customer
from unlockdesk.tickets.types import IdentityKind

log = logging.getLogger(__name__)

# Building a PDF of every ticket is real work; a customer gets a handful a day.
DAILY_LIMIT = 5
_ACTIVE = (ExportStatus.QUEUED, ExportStatus.BUILDING)


class TooManyExports(Exception):
    """The customer asked for more exports today than the desk builds."""


def request_export(*, customer: Customer, language: str, ip: str | None = None) -> RecordsExport:
    """Queue an export, or return the one already under way; the caller starts the task."""
    mine = RecordsExport.objects.filter(contact=customer.contact)
    running = mine.filter(status__in=_ACTIVE).first()
    if running is not None:
        return running
    if mine.filter(created_at__gte=timezone.now() - timedelta(days=1)).count() >= DAILY_LIMIT:
        raise TooManyExports
    with transaction.atomic():
        export = RecordsExport.objects.create(
            contact=customer.contact, account=customer.account, language=language,
            identity_kind=customer.identity_kind, identity_value=customer.identity_value)
        audit.record(actor=customer.actor, action="records.export_requested",
                     target=export.public_id, ip=ip)
    return export


def _customer_of(export: RecordsExport) -> Customer:
    return Customer(export.contact, export.account, IdentityKind(export.identity_kind),
                    export.identity_value)


def _set_progress(export: RecordsExport, percent: int) -> None:
    if percent >= export.progress + 5 or percent == 100:
        export.progress = percent
        RecordsExport.objects.filter(pk=export.pk).update(progress=percent)


def build(export_id: int) -> RecordsExport:
    """Collect, render, sign and store both files; safe to run again after a crash."""
    export = RecordsExport.objects.select_related("contact", "account").get(pk=export_id)
    if export.status not in _ACTIVE:
        return export
    export.status = ExportStatus.BUILDING
    export.save(update_fields=["status"])
    try:
        collected = collect(_customer_of(export), language=export.language, export_id=export.public_id,
                            progress=lambda share: _set_progress(export, share * 70 // 100))
        json_bytes = signing.sign_json(collected.records)
        json_digest = signing.sha256(json_bytes)
        _set_progress(export, 75)
        pdf_bytes = signing.sign_pdf(pdf.render(collected, json_sha256=json_digest,
                                                language=export.language))
        _set_progress(export, 95)
    except Exception:
        log.exception("records export %s failed", export.public_id)
        RecordsExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED)
        export.status = ExportStatus.FAILED
        return export
    stem = f"records-{export.public_id}"
    export.json.save(f"{stem}.json", ContentFile(json_bytes), save=False)
    export.pdf.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
    now = timezone.now()
    export.json_sha256, export.pdf_sha256 = json_digest, signing.sha256(pdf_bytes)
    export.tickets = len(collected.records["tickets"])
    export.status, export.progress = ExportStatus.READY, 100
    export.ready_at, export.expires_at = now, now + LIFETIME
    export.save()
    return export


def record_download(*, export: RecordsExport, customer: Customer, kind: str,
                    ip: str | None = None) -> None:
    audit.record(actor=customer.actor, action="records.downloaded", target=export.public_id,
                 ip=ip, file=kind)


def expire_old(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their day; the row stays as a record that one was made."""
    now = now or timezone.now()
    count = 0
    for export in RecordsExport.objects.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED):
        for field in (export.pdf, export.json):
            if field.name:
                field.delete(save=False)
        export.status = ExportStatus.EXPIRED
        export.save(update_fields=["status", "pdf", "json"])
        count += 1
    return count
