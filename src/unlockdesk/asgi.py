"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")
django_asgi = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from unlockdesk import warmup  # noqa: E402
from unlockdesk.chat.origins import ChatOriginValidator  # noqa: E402
from unlockdesk.request_limits import BodyLimit  # noqa: E402
from unlockdesk.routing import websocket_urlpatterns  # noqa: E402
from unlockdesk.sockets import auth_stack  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": BodyLimit(django_asgi),  # 413 past UNLOCKDESK_MAX_REQUEST_BYTES, read as it streams
        # Allowed-hosts Origin check; the chat widget's socket also admits the embed origins.
        "websocket": ChatOriginValidator(
            auth_stack(URLRouter(websocket_urlpatterns))
        ),
        "lifespan": warmup.lifespan,  # uvicorn warms up before it accepts a connection
    }
)
