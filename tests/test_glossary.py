"""One English word, two senses: each sense reads right in Chinese (docs/glossary.md)."""

from collections.abc import Iterator

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from unlockdesk.accounts.types import TransactionKind
from unlockdesk.tickets.models import Delivery, Status
from unlockdesk.verification.types import Status as CheckStatus


@pytest.fixture(autouse=True)
def _chinese() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def test_a_failed_check_is_not_a_failed_delivery() -> None:
    assert str(CheckStatus.FAIL.label) == "未通过"
    assert str(Delivery.FAILED.label) == "发送失败"


def test_an_open_ticket_is_being_handled() -> None:
    assert str(Status.OPEN.label) == "处理中"


def test_a_transfer_of_funds_is_not_a_chat_handed_over() -> None:
    assert str(TransactionKind.TRANSFER.label) == "划转"
    page = render_to_string("chat/console.html", {"queues": []})
    assert ">转接</button>" in page and "划转" not in page
    assert 'data-open="打开"' in page
