"""Unlockdesk: a self-hosted support desk built around the locked-out customer."""

from unlockdesk.celery_app import app as celery_app

__all__ = ["celery_app"]
