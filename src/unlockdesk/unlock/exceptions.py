"""Domain errors of unlock applications; views turn each into a clear message and status."""


class UnlockError(Exception):
    """Base class: the requested change is not allowed and nothing was changed."""

    code = "unlock_error"

    def __init__(self, message: str = "", *, code: str | None = None) -> None:
        super().__init__(message or self.__class__.__doc__ or "")
        self.message = message or (self.__class__.__doc__ or "").strip()
        if code:
            self.code = code


class ApplicationAccessDenied(UnlockError):
    """This application or file is not yours (or does not exist)."""

    code = "access_denied"


class ApplicationNotEditable(UnlockError):
    """The application cannot be changed in its current status."""

    code = "not_editable"


class ApplicationIncomplete(UnlockError):
    """Something required is missing; `missing` lists what."""

    code = "incomplete"

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


class ReviewNotAllowed(UnlockError):
    """The reviewer may not take this decision now."""

    code = "review_not_allowed"


class FourEyesRequired(ReviewNotAllowed):
    """A high-risk application needs a second reviewer who is not the first."""

    code = "four_eyes"


class UnlockFailed(UnlockError):
    """The exchange did not lift the lock; the application stays approved for a retry."""

    code = "unlock_failed"
