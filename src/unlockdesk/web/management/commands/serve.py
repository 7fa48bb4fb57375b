"""`unlockdesk serve`: one stateless web node (uvicorn) for production, proxy headers trusted
only from UNLOCKDESK_TRUSTED_PROXIES (see unlockdesk.proxies)."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from unlockdesk.proxies import uvicorn_command


class Command(BaseCommand):
    help = "Serve the desk with uvicorn; X-Forwarded-* believed only from UNLOCKDESK_TRUSTED_PROXIES."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        command = uvicorn_command("unlockdesk.asgi:application", host=options["host"], port=options["port"],
                                  extra=["--workers", str(options["workers"])])
        os.execv(command[0], command)  # noqa: S606  (this process becomes the server)
