"""One English word, two senses: each sense reads right in Chinese (docs/glossary.md)."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from unlockdesk.accounts import codes
from unlockdesk.accounts.types import TransactionKind
from unlockdesk.intake.models import OutboxItem
from unlockdesk.safety.verifier import verify
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


SRC = Path(__file__).resolve().parent.parent / "src" / "unlockdesk"


def _chinese_msgstrs() -> list[tuple[str, str]]:
    found = []
    for po in SRC.rglob("zh_Hans/LC_MESSAGES/django.po"):
        text = po.read_text(encoding="utf-8")
        for block in re.finditer(r'msgstr ((?:"[^"\n]*"\n?)+)', text):
            value = "".join(re.findall(r'"([^"\n]*)"', block.group(1)))
            if re.search(r"[\u4e00-\u9fff]", value):
                found.append((po.parents[3].name, value))
    return found


def test_chinese_text_uses_chinese_punctuation_and_names_the_brand_in_chinese() -> None:
    problems = []
    for app, value in _chinese_msgstrs():
        if re.search(r"[\u4e00-\u9fff][,.;:?!](\s|$|[\u4e00-\u9fff])", value):
            problems.append(f"{app}: Latin punctuation after Chinese: {value[:60]}")
        if re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", value) or re.search(r"\)s 上的", value):
            problems.append(f"{app}: a space inside Chinese: {value[:60]}")
        if "OKX" in value:
            problems.append(f"{app}: the brand in English inside Chinese: {value[:60]}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_chinese_codes_and_verifier_answers_name_the_brand_in_chinese() -> None:
    codes.send_code("phone", "+8613800138999")
    text = OutboxItem.objects.get(to="+8613800138999").body
    assert "欧易" in text and "OKX" not in text
    answer = verify("helpdesk@example.org").reason
    assert "欧易" in answer and "OKX" not in answer
