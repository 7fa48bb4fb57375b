"""The console's websocket route (gathered into unlockdesk.routing)."""

from typing import Any

from django.urls import path

from unlockdesk.web.consumers import ConsoleConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/console/", ConsoleConsumer.as_asgi()),
]
