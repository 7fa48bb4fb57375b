"""Domain errors of the ticket pipeline; views turn them into clear messages and statuses."""

from unlockdesk.safety.files import FileRefused


class TicketAccessDenied(Exception):
    """The caller may not see or act on this ticket (also raised for unknown numbers)."""


class ReplyBlocked(Exception):
    """The outbound guard refused an agent's text; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidTransition(Exception):
    """A status change the status machine does not allow."""


class AttachmentRejected(FileRefused):
    """An attachment is too large, empty, or not a type we accept; `message` is for the sender."""
