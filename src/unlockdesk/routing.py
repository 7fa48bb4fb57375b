"""Websocket routes of every app, gathered in one list."""

from typing import Any

from unlockdesk.chat.routing import websocket_urlpatterns as chat_routes
from unlockdesk.web.routing import websocket_urlpatterns as console_routes

websocket_urlpatterns: list[Any] = [*chat_routes, *console_routes]
