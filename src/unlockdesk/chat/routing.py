"""The chat's websocket routes (gathered into unlockdesk.routing)."""

from typing import Any

from django.urls import path

from unlockdesk.chat import consumers

VISITOR_PATH = "ws/chat/visitor/"

websocket_urlpatterns: list[Any] = [
    path(VISITOR_PATH, consumers.VisitorConsumer.as_asgi()),
    path("ws/chat/agent/", consumers.AgentConsumer.as_asgi()),
]
