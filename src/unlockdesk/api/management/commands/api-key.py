"""`unlockdesk api-key create|revoke|list`: API keys from the command line (deploy scripts)."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from unlockdesk.api import keys
from unlockdesk.api.models import ApiKey
from unlockdesk.api.scopes import Scope
from unlockdesk.staff.models import Agent


class Command(BaseCommand):
    help = "Create, revoke or list API keys; a new key's token is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--name", required=True)
        create.add_argument("--agent", required=True, help="user name or agent number the key acts as")
        create.add_argument("--scope", action="append", required=True, choices=Scope.values)
        create.add_argument("--expires-days", type=int, default=None)
        create.add_argument("--rate-per-minute", type=int, default=None)
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")
        sub.add_parser("list")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            agent = (Agent.objects.filter(username=options["agent"]).first()
                     or Agent.objects.filter(agent_number=options["agent"]).first())
            if agent is None:
                raise CommandError(f"no agent {options['agent']!r}")
            days = options["expires_days"]
            try:
                key, token = keys.create_key(
                    name=options["name"], agent=agent, scopes=options["scope"],
                    expires_at=timezone.now() + timedelta(days=days) if days else None,
                    rate_per_minute=options["rate_per_minute"], actor="cli")
            except keys.KeyRefused as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"{key.prefix} {token}")
        elif action == "revoke":
            found = ApiKey.objects.filter(prefix=options["prefix"]).first()
            if found is None:
                raise CommandError(f"no key with prefix {options['prefix']!r}")
            keys.revoke_key(found, actor="cli")
            self.stdout.write(f"revoked {found.prefix}")
        else:
            for key in ApiKey.objects.order_by("created_at"):
                state = "revoked" if key.revoked_at else ("usable" if key.is_usable else "expired")
                self.stdout.write(f"{key.prefix} {key.name} {','.join(key.scopes)} {state} "
                                  f"last used {key.last_used_at or 'never'}")
