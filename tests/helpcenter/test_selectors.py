"""Reads: published-only search with language fallback, suggestions for other channels,
lock explanations and the channel advice."""

import pytest
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from tests.factories import make_account
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.helpcenter import selectors
from unlockdesk.helpcenter.models import Translation
from unlockdesk.helpcenter.services import LoadReport, unpublish
from unlockdesk.helpcenter.types import Urgency

pytestmark = pytest.mark.django_db


def test_search_returns_published_articles_best_first(help_content: LoadReport) -> None:
    hits = selectors.search("手持照片的要求", "zh-hans")
    assert hits[0].slug == "handheld-photo-rules"
    assert hits[0].url == "/help/handheld-photo-rules/"
    assert hits == sorted(hits, key=lambda h: -h.score)


def test_a_search_without_marks_finds_the_same_articles_in_the_same_order(help_content: LoadReport) -> None:
    """Acknowledgements link titles only: they skip the highlighting, not the ranking."""
    for query, language in (("手持照片的要求", "zh-hans"), ("account locked withdraw", "en"),
                            ("帳戶被鎖", "zh-hant")):
        marked, plain = (selectors.search(query, language, marked=m) for m in (True, False))
        assert marked and [(h.slug, h.score, h.title, h.url) for h in plain] == [
            (h.slug, h.score, h.title, h.url) for h in marked]
        assert all(h.title_html and h.snippet_html for h in marked)
        assert all(h.title_html == h.snippet_html == "" for h in plain)


def test_unpublished_article_disappears_from_search(help_content: LoadReport) -> None:
    assert selectors.search("anti-phishing code", "en")[0].slug == "anti-phishing-code"
    unpublish(translation=Translation.objects.get(article__slug="anti-phishing-code", language="en"),
              actor="staff:1")
    assert "anti-phishing-code" not in [h.slug for h in selectors.search("anti-phishing code", "en")]


def test_search_falls_back_to_the_other_language(help_content: LoadReport) -> None:
    assert selectors.search("纸条", "en", fallback=False) == []
    hits = selectors.search("纸条", "en")
    assert hits and hits[0].language == "zh-hans" and hits[0].slug == "handheld-photo-rules"


def test_odd_input_finds_nothing_and_never_raises(help_content: LoadReport) -> None:
    assert selectors.search("", "en") == []
    assert selectors.search("   ", "zh-hans") == []
    assert selectors.search("\x00<>'\"" * 100, "en") == []
    assert selectors.suggest("", "en") == []
    assert len(selectors.search("locked " * 500, "en", limit=500)) <= 50


def test_suggest_completes_a_half_typed_word(help_content: LoadReport) -> None:
    assert "anti-phishing-code" in [h.slug for h in selectors.suggest("anti-phish", "en")]


def test_acknowledgement_suggestions_link_articles_in_the_ticket_language(
        help_content: LoadReport, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://support.example/"
    with translation.override("en"):
        lines = selectors.acknowledgement_suggestions("How do I set an anti-phishing code?", "en")
    assert lines[1] == "These help articles may answer your question right away:"
    assert "https://support.example/help/anti-phishing-code/" in lines[2]
    with translation.override("zh-hans"):
        lines = selectors.acknowledgement_suggestions("防钓鱼码怎么设置", "zh-hans")
    assert lines[1] == "以下帮助文章或许能马上解答您的问题："
    assert selectors.acknowledgement_suggestions("zzzz qqqq", "en") == []


@pytest.mark.parametrize("reason", list(LockReason))
def test_each_lock_reason_links_its_own_published_article(help_content: LoadReport,
                                                          reason: LockReason) -> None:
    account = make_account(lock=reason, restrictions=[Restriction.WITHDRAW])
    [status] = selectors.lock_statuses(account, "en")
    assert status.lock.reason == reason
    assert status.article_url == f"/help/{selectors.LOCK_ARTICLES[reason]}/"
    assert status.article_title
    assert status.advice.explanation and status.advice.next_step
    assert status.advice.action in ("wait", "reset", "apply", "agent_now")
    assert (status.advice.lifts_at is not None) == (reason == LockReason.SECURITY_CHANGE_HOLD)


def test_account_without_locks_has_no_statuses(help_content: LoadReport) -> None:
    assert selectors.lock_statuses(make_account(), "zh-hans") == []


@pytest.mark.parametrize(("kwargs", "urgency", "first_action"), [
    ({"text": "my account was hacked and someone is withdrawing my funds"}, Urgency.URGENT, "freeze"),
    ({"article_slug": "stolen-account-report"}, Urgency.URGENT, "freeze"),
    ({"lock_reasons": (LockReason.STOLEN_REPORT.value,)}, Urgency.URGENT, "freeze"),
    ({"lock_reasons": (LockReason.RISK_CONTROL.value,)}, Urgency.COMPLEX, "unlock"),
    ({"category_slug": "unlock"}, Urgency.COMPLEX, "unlock"),
    ({"text": "how do I find my ticket number"}, Urgency.SIMPLE, "chat"),
    ({}, Urgency.SIMPLE, "chat"),
])
def test_channel_advice_follows_urgency(kwargs: dict[str, object], urgency: Urgency,
                                        first_action: str) -> None:
    advice = selectors.recommend_channel(**kwargs)  # type: ignore[arg-type]
    assert advice.urgency == urgency
    assert advice.actions[0].kind == first_action
    kinds = [a.kind for a in advice.actions]
    if urgency == Urgency.URGENT:
        assert "chat" in kinds and "phone" in kinds
    if urgency == Urgency.COMPLEX:
        assert "email" in kinds


def test_suggestions_while_typing_survive_a_typo_and_a_word_prefix(help_content: LoadReport) -> None:
    for typed in ("acount", "accoun"):
        first = selectors.suggest(typed, "en")[0]
        assert "account" in first.title.lower(), typed
    assert selectors.suggest("acc", "en")


def test_adjacent_matched_words_are_highlighted_as_one_phrase(help_content: LoadReport) -> None:
    hit = selectors.search("账户 被锁", "zh-hans")[0]
    assert "<mark>账户被锁</mark>" in hit.title_html
    assert "</mark><mark>" not in hit.title_html + hit.snippet_html


def test_article_links_follow_the_script_prefix_the_desk_is_served_under() -> None:
    """Links are kept once reversed, but per prefix: a desk behind /desk/ links /desk/help/."""
    before = get_script_prefix()
    assert selectors.article_url("handheld-photo-rules") == "/help/handheld-photo-rules/"
    try:
        set_script_prefix("/desk/")
        assert selectors.article_url("handheld-photo-rules") == "/desk/help/handheld-photo-rules/"
    finally:
        set_script_prefix(before)
    assert selectors.article_url("handheld-photo-rules") == "/help/handheld-photo-rules/"
