"""Origin check for every socket, with one exception: the visitor socket also accepts the
exchange's own sites that embed the widget (UNLOCKDESK_CHAT_EMBED_ORIGINS). The agent socket,
and anything else, still needs an Origin among the allowed hosts."""

from typing import Any
from urllib.parse import urlparse

from channels.security.websocket import AllowedHostsOriginValidator, OriginValidator
from django.conf import settings

from unlockdesk.chat.routing import VISITOR_PATH


class ChatOriginValidator:
    def __init__(self, application: Any) -> None:
        self.application = application
        self.strict = AllowedHostsOriginValidator(application)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope.get("path", "").lstrip("/") == VISITOR_PATH and self._embedded(scope):
            return await self.application(scope, receive, send)
        return await self.strict(scope, receive, send)

    def _embedded(self, scope: dict[str, Any]) -> bool:
        origins = settings.UNLOCKDESK_CHAT_EMBED_ORIGINS
        if not origins:
            return False
        embed = OriginValidator(self.application, origins)
        for name, value in scope.get("headers", []):
            if name == b"origin":
                return bool(embed.valid_origin(urlparse(value.decode("latin1"))))
        return False
