"""The help center in a real browser: search with suggestions in both languages, read an
article and mark it helpful, and "why is my account locked?" for every lock reason."""

from typing import Any

import pytest
from django.utils import timezone, translation

from tests.factories import make_account, make_agent
from tests.helpers import browser_console_login, codes_destination, last_code_sent_to
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.services import lock_account
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.helpcenter.models import Feedback
from unlockdesk.helpcenter.selectors import LOCK_ARTICLES
from unlockdesk.helpcenter.services import load_shipped_content
from unlockdesk.staff.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def help_content(transactional_db: None) -> None:
    load_shipped_content()


def test_chinese_search_suggests_while_typing_and_highlights_results(live_server: Any,
                                                                     new_page: Any) -> None:
    page = new_page("zh-CN")
    page.goto(f"{live_server.url}/help/")
    assert page.locator("h1").first.inner_text() == "有什么可以帮您？"
    page.locator("#help-q").press_sequentially("账户被锁了", delay=30)
    suggestions = page.locator("#help-suggestions a")
    suggestions.first.wait_for()
    assert any("锁" in text for text in suggestions.all_inner_texts())
    page.locator("#help-q").press("Enter")
    page.wait_for_url("**/help/search/?q=*")
    first = page.locator("#search-results .hit").first
    assert first.get_attribute("data-slug") in {"why-is-my-account-locked", "what-a-lock-blocks"}
    assert page.locator("#search-results mark").count() > 0
    assert page.locator("#still-need-help").is_visible()

    # The comment is optional: a bare "not helpful" is recorded too.
    page.locator("#search-results .hit-title").first.click()
    page.wait_for_url("**/help/*/")
    page.click("#helpful-no")
    page.locator("#feedback-thanks").wait_for()
    [vote] = Feedback.objects.all()
    assert not vote.helpful and vote.comment == ""
    assert vote.translation.language == "zh-hans"


def test_english_search_tolerates_a_typo_and_opens_the_article(live_server: Any, new_page: Any) -> None:
    page = new_page("en-US")
    page.goto(f"{live_server.url}/help/")
    page.locator("#help-q").press_sequentially("handheld pho", delay=30)
    page.locator("#help-suggestions a", has_text="Handheld photo").first.wait_for()
    page.fill("#help-q", "handheld photo rules")
    page.click(".help-search button[type=submit]")
    page.wait_for_url("**/help/search/?q=*")
    assert page.locator("#search-results .hit").first.get_attribute("data-slug") == "handheld-photo-rules"

    page.fill("#help-q", "anti-phishng code")
    page.click(".help-search button[type=submit]")
    page.locator("#search-results .hit-title").first.click()
    page.wait_for_url("**/help/anti-phishing-code/")
    assert page.locator("h1").first.inner_text() == "Anti-phishing code"
    assert page.locator(".breadcrumbs").inner_text().startswith("Help center")
    assert page.locator(".related li").count() >= 2
    assert page.locator("time").first.get_attribute("datetime")


def test_reader_marks_an_article_helpful_and_agents_see_the_comment(live_server: Any,
                                                                      new_page: Any) -> None:
    base = live_server.url
    reader = new_page("en-US")
    reader.goto(f"{base}/help/unlock-materials/")
    reader.fill("#id_comment", "Clear list, thank you")
    reader.click("#helpful-yes")
    reader.locator("#feedback-thanks").wait_for()
    [vote] = Feedback.objects.all()
    assert vote.helpful and vote.comment == "Clear list, thank you"
    assert vote.translation.article.slug == "unlock-materials" and vote.translation.language == "en"

    console = new_page("en-US")
    browser_console_login(console, base, make_agent(role=Role.AGENT))
    console.goto(f"{base}/console/help/")
    row = console.locator(".feedback-row", has_text="Clear list, thank you")
    assert row.count() == 1 and row.get_attribute("data-helpful") == "yes"


# The one next step each reason calls for, and the button that takes the customer there.
NEXT_STEP = {
    LockReason.RISK_CONTROL: ("apply", ".apply-link"),
    LockReason.SUSPICIOUS_LOGIN: ("apply", ".apply-link"),
    LockReason.WRONG_CODES: ("reset", ".reset-link"),
    LockReason.SECURITY_CHANGE_HOLD: ("wait", ""),
    LockReason.SELF_FREEZE: ("apply", ".apply-link"),
    LockReason.COMPLIANCE_REVIEW: ("agent_now", ".agent-link"),
    LockReason.STOLEN_REPORT: ("agent_now", ".agent-link"),
}


def sign_in_to_lock_status(page: Any, base: str, address: str) -> None:
    """From the help center's home, through the one-time code, to "why is my account locked?"."""
    page.goto(f"{base}/help/")
    page.click(".lock-cta a.button")
    page.wait_for_url("**/portal/signin/?next=/help/why-locked/")
    page.fill("#id_address", address)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/portal/signin/code/")
    page.fill("#id_code", last_code_sent_to(codes_destination(address)))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/help/why-locked/")


def local_minute(moment: Any) -> str:
    return str(timezone.localtime(moment).strftime("%Y-%m-%d %H:%M"))


@pytest.mark.parametrize("reason", list(LockReason))
def test_lock_status_page_explains_each_lock_reason(live_server: Any, new_page: Any,
                                                    reason: LockReason) -> None:
    account = make_account(email="locked@example.com", lock=reason,
                           restrictions=[Restriction.LOGIN, Restriction.WITHDRAW])
    [stored] = AccountLock.objects.filter(account=account)
    base = live_server.url
    page = new_page("en-US")
    sign_in_to_lock_status(page, base, "locked@example.com")

    lock = page.locator(f'.lock-status[data-reason="{reason.value}"]')
    assert lock.count() == 1
    with translation.override("en"):
        english_label = str(reason.label)
    assert english_label in lock.locator("h2").inner_text()
    assert lock.locator(".explanation").inner_text()
    assert lock.locator(".since").inner_text() == local_minute(stored.since)
    assert lock.locator(".blocked").inner_text() == "Log in, Withdraw"
    lifts = lock.locator(".lifts").inner_text()
    if reason == LockReason.SECURITY_CHANGE_HOLD:
        assert stored.auto_lift_at is not None and lifts == local_minute(stored.auto_lift_at)
    elif reason == LockReason.WRONG_CODES:
        assert lifts.startswith("Not at a time we know")
    else:
        assert lifts.startswith("No")
    action, button = NEXT_STEP[reason]
    assert lock.get_attribute("data-action") == action
    assert lock.locator(".next-step").inner_text()
    if button:
        assert lock.locator(f".actions {button}").first.is_visible()
    assert lock.locator(".apply-link").count() == (0 if reason == LockReason.SECURITY_CHANGE_HOLD else 1)
    assert page.locator("#still-need-help").is_visible()
    lock.locator(".article-link").click()
    page.wait_for_url(f"{base}/help/{LOCK_ARTICLES[reason]}/")
    assert page.locator("article.help-article").get_attribute("data-slug") == LOCK_ARTICLES[reason]


def test_lock_status_page_speaks_chinese_and_shows_every_active_lock(live_server: Any,
                                                                     new_page: Any) -> None:
    account = make_account(email="locked@example.com", lock=LockReason.STOLEN_REPORT,
                           restrictions=[Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW])
    lock_account(account, reason=LockReason.SECURITY_CHANGE_HOLD, restrictions=[Restriction.WITHDRAW],
                 actor="system:test")
    page = new_page("zh-CN")
    sign_in_to_lock_status(page, live_server.url, "locked@example.com")

    assert page.locator("h1").first.inner_text() == "我的账户为什么被锁定？"
    stolen = page.locator('.lock-status[data-reason="stolen_report"]')
    hold = page.locator('.lock-status[data-reason="security_change_hold"]')
    assert stolen.count() == hold.count() == 1
    with translation.override("zh-hans"):
        assert str(LockReason.STOLEN_REPORT.label) in stolen.locator("h2").inner_text()
        assert stolen.locator(".blocked").inner_text() == "、".join(  # a Chinese list
            str(r.label) for r in (Restriction.LOGIN, Restriction.TRADE, Restriction.WITHDRAW))
    assert stolen.locator(".lifts").inner_text().startswith("不会自动解除")
    assert stolen.locator(".agent-link").is_visible()
    # Stolen means urgent: freeze first, then an agent now.
    assert page.locator("#still-need-help").get_attribute("data-urgency") == "urgent"
