"""Model fields that keep PII encrypted in the database."""

from typing import Any

from django.db import models

from unlockdesk import crypto


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; the database never holds the plain value.

    It cannot be filtered on: store a `crypto.keyed_hash` beside it for lookups.
    """

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.seal(str(value).encode()).decode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return crypto.open_sealed(value.encode()).decode()
