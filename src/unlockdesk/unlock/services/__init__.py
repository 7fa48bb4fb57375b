"""Writes on unlock applications: the customer's wizard, submission, review and unlock, retention."""

from unlockdesk.unlock.services.drafts import (
    NEW_CASE,
    advance,
    redo_transactions,
    save_account_step,
    save_other_step,
    save_problem_step,
    save_transactions_step,
    start_or_resume,
)
from unlockdesk.unlock.services.evidence import (
    add_evidence,
    record_review_page_view,
    record_view,
    remove_evidence,
)
from unlockdesk.unlock.services.retention import purge_application, purge_expired_evidence
from unlockdesk.unlock.services.review import approve, perform_unlock, reject, request_info, reveal_kyc
from unlockdesk.unlock.services.status import alert_customer
from unlockdesk.unlock.services.submission import begin_checking, checks_completed, missing_items, submit

__all__ = [
    "NEW_CASE",
    "add_evidence",
    "advance",
    "alert_customer",
    "approve",
    "begin_checking",
    "checks_completed",
    "missing_items",
    "perform_unlock",
    "purge_application",
    "purge_expired_evidence",
    "record_review_page_view",
    "record_view",
    "redo_transactions",
    "reject",
    "remove_evidence",
    "request_info",
    "reveal_kyc",
    "save_account_step",
    "save_other_step",
    "save_problem_step",
    "save_transactions_step",
    "start_or_resume",
    "submit",
]
