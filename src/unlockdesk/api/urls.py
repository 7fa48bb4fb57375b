"""The REST API (OpenAPI at /api/docs). Every route states who may call it."""

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI, Schema
from ninja.openapi.views import openapi_view

from unlockdesk.api.v1.api import api_v1
from unlockdesk.staff.models import Agent
from unlockdesk.staff.permissions import agent_auth
from unlockdesk.tickets import selectors
from unlockdesk.tickets.exceptions import TicketAccessDenied

# The console's own calls (session with two factors); integrations use /api/v1 (api_v1).
api = NinjaAPI(title="Unlockdesk console API", version="1", urls_namespace="api",
               docs_url="/console/docs")
api.add_router("/safety/", "unlockdesk.safety.api.router")


class TicketOut(Schema):
    number: str
    subject: str
    status: str
    priority: int
    channel: str
    category: str


class MessageOut(Schema):
    seq: int
    direction: str
    text: str
    created_at: str


@api.exception_handler(TicketAccessDenied)
def _denied(request: HttpRequest, exc: Exception) -> Any:
    return api.create_response(request, {"detail": "not found"}, status=404)


@api.get("/health", auth=None)
def health(request: HttpRequest) -> dict[str, str]:
    """Public liveness probe: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}


@api.get("/tickets/{number}", response=TicketOut, auth=agent_auth)
def ticket_detail(request: HttpRequest, number: str) -> Any:
    """Agents only (session login)."""
    user = request.user
    if not isinstance(user, Agent):
        raise TicketAccessDenied
    return selectors.ticket_for_agent(user, number)


@api.get("/tickets/{number}/messages", response=list[MessageOut], auth=agent_auth)
def ticket_messages(request: HttpRequest, number: str, after: int = 0) -> Any:
    """Agents only; `after` returns what a client missed since that sequence number."""
    user = request.user
    if not isinstance(user, Agent):
        raise TicketAccessDenied
    ticket = selectors.ticket_for_agent(user, number)
    return [
        {"seq": m.seq, "direction": m.direction, "text": m.body_text,
         "created_at": m.created_at.isoformat()}
        for m in selectors.messages_after(ticket, after, for_customer=False)
    ]


def docs(request: HttpRequest) -> HttpResponse:
    """/api/docs: Swagger UI for API v1, its files served by us (the site's CSP allows no CDN)."""
    return openapi_view(request, api_v1)


urlpatterns = [
    path("v1/", api_v1.urls),
    path("docs", docs, name="api-docs"),
    path("", api.urls),
]
