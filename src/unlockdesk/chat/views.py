"""HTTP side of live chat: the agents' live page, file uploads from the widget, the customer's
transcript download and "continue this chat" from the portal. Thin: checks, one service or
selector call, a response."""

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from unlockdesk.chat import identity, selectors, services
from unlockdesk.chat.consumers import TRANSCRIPT_SALT
from unlockdesk.chat.services import ChatRefused
from unlockdesk.staff.models import Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.tickets import export
from unlockdesk.tickets import selectors as ticket_selectors
from unlockdesk.tickets.customer_session import Customer, customer_required
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.tickets.models import Queue

TRANSCRIPT_MAX_AGE = 600


@require_role(Role.AGENT)
def console(request: HttpRequest) -> HttpResponse:
    return render(request, "chat/console.html", {
        "queues": Queue.objects.order_by("slug"),
    })


def _cors(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The embedded widget uploads from the exchange's own origins (and only those)."""
    origin = request.headers.get("Origin", "")
    if origin and origin in settings.UNLOCKDESK_CHAT_EMBED_ORIGINS:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST"
        response["Vary"] = "Origin"
    return response


@csrf_exempt  # authenticated by the signed visitor token in the form, never by a cookie
@require_http_methods(["POST", "OPTIONS"])
def upload(request: HttpRequest) -> HttpResponse:
    """A customer's image or PDF in the chat: checked (sniffed type, size), then stored as a
    message through the pipeline before the answer says so."""
    if request.method == "OPTIONS":
        return _cors(request, HttpResponse(status=204))
    visitor = identity.visitor_from_token(request.POST.get("token", ""))
    files = request.FILES.getlist("file")
    if visitor is None:
        return _cors(request, JsonResponse(
            {"code": "forbidden", "message": _("This conversation is not yours.")}, status=403))
    if len(files) != 1:
        return _cors(request, JsonResponse(
            {"code": "bad_request", "message": _("Attach exactly one file.")}, status=400))
    upload_file = files[0]
    if (upload_file.size or 0) > settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES:
        return _cors(request, JsonResponse({"code": "attachment", "message": _(
            "The file is larger than %(mb)d MB.") % {
                "mb": settings.UNLOCKDESK_ATTACHMENT_MAX_BYTES // (1024 * 1024)}}, status=400))
    try:
        conversation = selectors.conversation_for_visitor(visitor, request.POST.get("conversation", ""))
        posted = services.send_to_agent(
            conversation=conversation, text=request.POST.get("text", ""),
            client_id=request.POST.get("client_id", ""), open_ticket=False,
            files=((upload_file.name or "file", upload_file.read()),),
        )
    except selectors.ChatAccessDenied:
        return _cors(request, JsonResponse(
            {"code": "forbidden", "message": _("This conversation is not yours.")}, status=403))
    except ChatRefused as exc:
        return _cors(request, JsonResponse({"code": exc.code, "message": exc.message}, status=400))
    return _cors(request, JsonResponse({"seq": posted.seq, "ticket": posted.ticket_number}))


def transcript(request: HttpRequest, signed: str) -> HttpResponse:
    """The conversation as text, for the visitor who holds a fresh link from their socket."""
    try:
        data = signing.loads(signed, salt=TRANSCRIPT_SALT, max_age=TRANSCRIPT_MAX_AGE)
        conversation = selectors.conversation_for_visitor(str(data["v"]), str(data["c"]))
    except (signing.BadSignature, KeyError, TypeError, selectors.ChatAccessDenied) as exc:
        raise Http404 from exc
    if conversation.ticket is None:
        raise Http404
    response = HttpResponse(export.transcript_text(conversation.ticket, for_customer=True),
                            content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{conversation.ticket.number}.txt"'
    response["Cache-Control"] = "private, no-store"
    return response


@customer_required
def continue_chat(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    """From the portal (or the follow-up email): reopen the live chat on one's own ticket."""
    try:
        ticket = ticket_selectors.ticket_for_customer(customer.contact, customer.account, number)
    except TicketAccessDenied as exc:
        raise Http404 from exc
    return render(request, "chat/continue.html", {"ticket": ticket, "customer": customer})
