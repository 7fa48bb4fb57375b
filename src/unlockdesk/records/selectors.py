"""Reads of exports, scoped to the customer who asked: an export number alone grants nothing."""

from django.db.models import QuerySet

from unlockdesk.records.models import ExportStatus, RecordsExport
from unlockdesk.tickets.customer_session import Customer


class ExportNotFound(Exception):
    pass


def exports_of(customer: Customer) -> QuerySet[RecordsExport]:
    return (RecordsExport.objects.filter(contact=customer.contact)
            .exclude(status=ExportStatus.EXPIRED).order_by("-created_at"))


def export_for(customer: Customer, public_id: str) -> RecordsExport:
    export = exports_of(customer).filter(public_id=public_id).first()
    if export is None:
        raise ExportNotFound
    return export


def downloadable(customer: Customer, public_id: str) -> RecordsExport:
    export = export_for(customer, public_id)
    if export.status != ExportStatus.READY or export.expired:
        raise ExportNotFound
    return export
