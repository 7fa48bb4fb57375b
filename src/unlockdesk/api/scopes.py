"""What an API key may do. Every /api/v1 route names the one scope it needs."""

from django.db import models


class Scope(models.TextChoices):
    TICKETS_READ = "tickets:read", "tickets:read — list and read tickets, messages, contacts"
    TICKETS_WRITE = "tickets:write", "tickets:write — open and update tickets, reply, add notes"
    ACCOUNTS_READ = "accounts:read", "accounts:read — read exchange accounts (masked) and locks"
    ACCOUNTS_WRITE = "accounts:write", "accounts:write — feed account changes"
    WEBHOOKS_ADMIN = "webhooks:admin", "webhooks:admin — manage webhook subscriptions, redeliver"
