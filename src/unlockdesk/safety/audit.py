"""Recording sensitive actions: reveals, evidence views, decisions, freezes, unlocks."""

from typing import Any

from unlockdesk.safety.models import AuditEntry


def actor_of(user: Any) -> str:
    """A stable actor label for an agent, or 'system' when there is none."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    number = getattr(user, "agent_number", None)
    return f"agent:{number or user.get_username()}"


def record(
    *, actor: str, action: str, target: str = "", ip: str | None = None, **details: Any
) -> AuditEntry:
    """Append one entry; callers run it inside their own transaction so it lands with the change."""
    return AuditEntry.objects.create(
        actor=actor, action=action, target=target, ip=ip, details=details
    )
