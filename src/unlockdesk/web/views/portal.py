"""Customer portal: sign in by one-time code, lock status, own tickets only."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from unlockdesk.accounts import codes
from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.accounts.advice import advise
from unlockdesk.intake import sms
from unlockdesk.intake import web as web_channel
from unlockdesk.intake.models import OutboxItem
from unlockdesk.proxies import client_ip
from unlockdesk.tickets import customer_session, export, selectors
from unlockdesk.tickets.contacts import resolve_contact
from unlockdesk.tickets.customer_session import Customer, customer_required
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Attachment
from unlockdesk.tickets.services import receive
from unlockdesk.tickets.types import IdentityKind, SenderIdentity
from unlockdesk.unlock import selectors as unlock_selectors
from unlockdesk.web.forms import CodeForm, CustomerReplyForm, SignInForm, TicketForm
from unlockdesk.web.responses import private_file_response

PENDING_KEY = "pending_signin"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"customer": customer_session.current(request)})


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, value = form.cleaned_data["address"]
        try:
            codes.send_code(kind, value, client_ip=client_ip(request))
        except codes.CodeThrottled as exc:
            form.add_error(None, exc.message)
        except sms.SmsFailed as exc:  # SMS off, or the provider did not take the text
            form.add_error(None, str(exc.customer_message))
        else:
            request.session[PENDING_KEY] = {"kind": kind, "value": value,
                                            "next": request.GET.get("next", "")}
            return redirect("portal:code")
    return render(request, "web/portal/signin.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return redirect("portal:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes.verify_code(pending["kind"], pending["value"], form.cleaned_data["code"])
        except codes.CodeRejected as exc:
            form.add_error("code", str(exc))
        else:
            kind = IdentityKind(pending["kind"])
            contact = resolve_contact(
                SenderIdentity(kind, pending["value"], verified=True),
                language=get_language() or "zh-hans",
            )
            customer_session.sign_in(request, contact=contact, kind=kind, value=pending["value"])
            target = pending.get("next") or reverse("portal:dashboard")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse("portal:dashboard")
            return HttpResponseRedirect(target)
    return render(request, "web/portal/code.html", {"form": form, "pending": pending})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    customer_session.sign_out(request)
    return redirect("home")


@customer_required
def dashboard(request: HttpRequest, customer: Customer) -> HttpResponse:
    locks = []
    if customer.account:
        locks = [(lock, advise(lock)) for lock in account_selectors.active_locks(customer.account)]
    return render(request, "web/portal/dashboard.html", {
        "customer": customer,
        "locks": locks,
        # After submitting, the page follows the application instead of inviting a new one.
        "application": unlock_selectors.open_application_for(customer),
        "tickets": selectors.tickets_of(customer.contact, customer.account)[:50],
    })


@customer_required
@require_http_methods(["GET", "POST"])
def new_ticket(request: HttpRequest, customer: Customer) -> HttpResponse:
    form = TicketForm(request.POST or None, initial={"client_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        receipt = receive(web_channel.parse(web_channel.PortalPost(
            identity_kind=customer.identity_kind,
            identity_value=customer.identity_value,
            client_id=str(form.cleaned_data["client_id"]),
            subject=form.cleaned_data["subject"],
            text=form.cleaned_data["text"],
            language=get_language() or "",
            files=_uploads(request),
        )))
        _explain_receipt(request, receipt)
        return redirect("portal:ticket", number=receipt.ticket_number)
    return render(request, "web/portal/new_ticket.html", {"form": form, "customer": customer})


@customer_required
@require_http_methods(["GET", "POST"])
def ticket_page(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    try:
        ticket = selectors.ticket_for_customer(customer.contact, customer.account, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    form = CustomerReplyForm(request.POST or None, initial={"client_id": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        receipt = receive(web_channel.parse(web_channel.PortalPost(
            identity_kind=customer.identity_kind,
            identity_value=customer.identity_value,
            client_id=str(form.cleaned_data["client_id"]),
            text=form.cleaned_data["text"],
            ticket_number=ticket.number,
            language=ticket.language,
            files=_uploads(request),
        )))
        _explain_receipt(request, receipt)
        return redirect("portal:ticket", number=receipt.ticket_number)
    return render(request, "web/portal/ticket.html", {
        "customer": customer,
        "ticket": ticket,
        "messages_list": selectors.conversation(ticket, for_customer=True),
        "form": form,
    })


@customer_required
def transcript(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    try:
        ticket = selectors.ticket_for_customer(customer.contact, customer.account, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    response = HttpResponse(export.transcript_text(ticket, for_customer=True),
                            content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ticket.number}.txt"'
    return response


@customer_required
def attachment(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    item = Attachment.objects.select_related("message__ticket").filter(pk=pk).first()
    if item is None or item.message.direction == "note":
        raise Http404
    allowed = selectors.tickets_of(customer.contact, customer.account).filter(
        pk=item.message.ticket_id).exists()
    if not allowed:
        raise Http404
    return private_file_response(item, actor=customer.actor)


def outbox(request: HttpRequest) -> HttpResponse:
    """Demo only: what the desk would have sent by email and SMS (sign-in codes included)."""
    if not settings.DEMO_MODE:
        raise PermissionDenied
    to = request.GET.get("to", "").strip()[:254]
    items = OutboxItem.objects.filter(to__icontains=to) if to else OutboxItem.objects.all()
    return render(request, "web/outbox.html", {"items": items[:50], "to": to})


def _uploads(request: HttpRequest) -> tuple[tuple[str, bytes], ...]:
    """Up to 10 files; one over the attachment limit is refused by its size as streamed
    (request_limits dropped its bytes) and never read into memory."""
    limit = settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES
    kept: list[tuple[str, bytes]] = []
    too_large: list[str] = []
    for upload in request.FILES.getlist("files")[:10]:
        if (upload.size or 0) > limit:
            too_large.append(upload.name or "file")
        else:
            kept.append((upload.name or "file", upload.read()))
    if too_large:
        messages.error(request, _("These files are larger than %(mb)d MB and were not sent: %(files)s") % {
            "mb": limit // (1024 * 1024), "files": ", ".join(too_large)})
    return tuple(kept)


def _explain_receipt(request: HttpRequest, receipt: object) -> None:
    redactions = getattr(receipt, "redactions", ())
    if redactions:
        messages.warning(request, _(
            "You sent something that looks like a password, code or key. We removed it and "
            "did not store it. Never share it with anyone, including support staff. "
            "If someone else may have seen it, change your password now or freeze your account."
        ))
    rejected = getattr(receipt, "rejected_attachments", ())
    if rejected:
        messages.error(request, _(
            "Some files were not accepted (only images and PDF, up to 10 MB): %(files)s"
        ) % {"files": ", ".join(rejected)})
