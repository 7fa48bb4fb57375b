"""The customer's records export in the portal: ask, watch it being built, download for a day."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from unlockdesk.proxies import client_ip
from unlockdesk.records import selectors, services, tasks
from unlockdesk.records.models import ExportStatus, RecordsExport
from unlockdesk.tickets.customer_session import Customer, customer_required

_FILES = {"pdf": "application/pdf", "json": "application/json"}


def _state(export: RecordsExport) -> dict[str, object]:
    ready = export.status == ExportStatus.READY and not export.expired
    return {
        "id": export.public_id,
        "status": export.status,
        "status_label": str(export.get_status_display()),
        "progress": export.progress,
        "ready": ready,
        "failed": export.status == ExportStatus.FAILED,
        "pdf_url": reverse("portal:export_file", args=[export.public_id, "pdf"]) if ready else None,
        "json_url": reverse("portal:export_file", args=[export.public_id, "json"]) if ready else None,
        "pdf_sha256": export.pdf_sha256 if ready else "",
        "json_sha256": export.json_sha256 if ready else "",
    }


@customer_required
@require_http_methods(["GET", "POST"])
def records_page(request: HttpRequest, customer: Customer) -> HttpResponse:
    if request.method == "POST":
        try:
            export = services.request_export(customer=customer, language=get_language() or "zh-hans",
                                             ip=client_ip(request))
        except services.TooManyExports:
            messages.error(request, _("You have asked for your records several times today. "
                                      "Please download one of the files below or try again tomorrow."))
            return redirect("portal:export")
        if export.status == ExportStatus.QUEUED:
            transaction.on_commit(lambda: tasks.build_records_export.delay(export.pk))
        return redirect(f"{reverse('portal:export')}#{export.public_id}")
    exports = list(selectors.exports_of(customer)[:5])
    return render(request, "web/portal/records.html", {
        "customer": customer, "exports": [(e, _state(e)) for e in exports],
    })


@customer_required
@require_GET
def export_status(request: HttpRequest, customer: Customer, public_id: str) -> JsonResponse:
    try:
        export = selectors.export_for(customer, public_id)
    except selectors.ExportNotFound as exc:
        raise Http404 from exc
    return JsonResponse(_state(export))


@customer_required
@require_GET
def export_file(request: HttpRequest, customer: Customer, public_id: str, kind: str) -> HttpResponse:
    if kind not in _FILES:
        raise Http404
    try:
        export = selectors.downloadable(customer, public_id)
    except selectors.ExportNotFound as exc:
        raise Http404 from exc
    field = export.pdf if kind == "pdf" else export.json
    data = field.storage.read_bytes(field.name)  # type: ignore[attr-defined]
    services.record_download(export=export, customer=customer, kind=kind, ip=client_ip(request))
    response = HttpResponse(data, content_type=_FILES[kind])
    response["Content-Disposition"] = f'attachment; filename="records-{export.public_id}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response
