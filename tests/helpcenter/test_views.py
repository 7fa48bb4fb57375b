"""Public pages at /help/: articles, drafts, search, suggestions, feedback, the lock explainer."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.factories import make_account
from tests.helpers import portal_login
from unlockdesk.accounts.models import AccountLock
from unlockdesk.accounts.services import lift_lock, lock_account
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.helpcenter.models import Article, Category, Feedback, Translation
from unlockdesk.helpcenter.services import LoadReport, create_article, save_translation

pytestmark = pytest.mark.django_db


def english(client: Client) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_home_lists_categories_in_the_readers_language(client: Client, help_content: LoadReport) -> None:
    body = client.get("/help/").content.decode()
    assert "账户被锁定" in body and "有什么可以帮您？" in body
    body = english(client).get("/help/").content.decode()
    assert "Account locks" in body and "How can we help?" in body
    assert 'id="still-need-help"' in body


def test_article_has_breadcrumbs_date_related_feedback_and_channel_advice(
        client: Client, help_content: LoadReport) -> None:
    body = english(client).get("/help/handheld-photo-rules/").content.decode()
    assert re.search(r'class="breadcrumbs".*href="/help/".*href="/help/c/unlock/"', body)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', body)
    assert 'class="card related"' in body and body.count('href="/help/') > 5
    assert "Was this helpful?" in body and 'id="still-need-help"' in body
    assert "{{" not in body.split("<main", 1)[-1]  # placeholders are filled


def test_article_markdown_is_rendered_and_sanitised(client: Client, help_content: LoadReport) -> None:
    article = Article.objects.get(slug="live-chat")
    save_translation(article=article, language="en", title="Chat", actor="staff:1", publish=True,
                     body="## Steps\n\n1. **Open** the chat\n\n<script>alert(1)</script>\n"
                          "[x](javascript:alert(2))")
    body = english(client).get("/help/live-chat/").content.decode()
    assert "<h2>Steps</h2>" in body and "<strong>Open</strong>" in body
    assert "<script>alert(1)" not in body and "javascript:alert" not in body


def test_draft_articles_are_not_shown_to_readers(client: Client, help_content: LoadReport) -> None:
    create_article(slug="secret-draft", category=Category.objects.get(slug="contact"),
                   language="en", title="Upcoming hotline", body="Unreleased hotline text",
                   actor="staff:1")
    assert english(client).get("/help/secret-draft/").status_code == 404
    assert "secret-draft" not in client.get("/help/").content.decode()
    assert "secret-draft" not in client.get("/help/search/?q=Upcoming+hotline").content.decode()
    assert client.post("/help/secret-draft/feedback/", {"helpful": "yes"}).status_code == 404
    assert client.get("/help/no-such-article/").status_code == 404
    assert client.get("/help/c/no-such-category/").status_code == 404


def test_article_in_the_other_language_is_shown_when_missing_in_the_readers(
        client: Client, help_content: LoadReport) -> None:
    Translation.objects.filter(article__slug="live-chat", language="en").update(status="draft")
    response = english(client).get("/help/live-chat/")
    assert response.status_code == 200 and 'lang="zh-hans"' in response.content.decode()


def test_search_page_highlights_matches_in_both_languages(client: Client, help_content: LoadReport) -> None:
    body = client.get("/help/search/", {"q": "账户被锁了"}).content.decode()
    assert 'data-slug="why-is-my-account-locked"' in body and "<mark>" in body
    assert 'id="still-need-help"' in body
    body = english(client).get("/help/search/", {"q": "handheld photo"}).content.decode()
    assert 'data-slug="handheld-photo-rules"' in body and "<mark>handheld" in body.lower()


def test_search_escapes_the_query_and_shows_no_results_text(client: Client, help_content: LoadReport) -> None:
    body = english(client).get("/help/search/", {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in body and "&lt;img src=x" in body
    assert 'id="no-results"' in english(client).get("/help/search/", {"q": "qqqqzzzz"}).content.decode()


def test_urgent_search_advises_freeze_first(client: Client, help_content: LoadReport) -> None:
    body = english(client).get("/help/search/", {"q": "my account was hacked, funds stolen"}).content.decode()
    assert 'data-urgency="urgent"' in body and 'data-action="freeze"' in body


def test_suggest_returns_titles_and_links_as_json(client: Client, help_content: LoadReport) -> None:
    data = english(client).get("/help/suggest/", {"q": "anti-phish"}).json()
    assert {"title": "Anti-phishing code", "url": "/help/anti-phishing-code/"} in data["results"]
    assert client.get("/help/suggest/", {"q": ""}).json() == {"results": []}


def test_feedback_is_stored_and_a_changed_vote_updates_it(client: Client, help_content: LoadReport) -> None:
    url = "/help/live-chat/feedback/"
    response = client.post(url, {"helpful": "no", "comment": "Which hours is chat open?"})
    assert response.status_code == 302 and response["Location"].endswith("#feedback")
    client.post(url, {"helpful": "yes", "comment": ""})
    [row] = Feedback.objects.all()
    assert row.helpful and row.comment == "Which hours is chat open?"
    assert row.translation.language == "zh-hans"
    assert 'id="feedback-thanks"' in client.get("/help/live-chat/").content.decode()


def test_bad_feedback_changes_nothing(client: Client, help_content: LoadReport) -> None:
    client.post("/help/live-chat/feedback/", {"helpful": "maybe"})
    client.post("/help/live-chat/feedback/", {"helpful": "yes", "comment": "x" * 1001})
    assert not Feedback.objects.exists()
    assert client.get("/help/live-chat/feedback/").status_code == 405


def test_app_view_drops_the_site_chrome_for_the_session(client: Client, help_content: LoadReport) -> None:
    assert "app-view" in client.get("/help/?view=app").content.decode()
    assert "app-view" in client.get("/help/live-chat/").content.decode()
    assert "app-view" not in client.get("/help/?view=web").content.decode()


def test_lock_explainer_needs_the_one_time_code(client: Client, help_content: LoadReport) -> None:
    response = client.get("/help/why-locked/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/signin/?next=/help/why-locked/"


@pytest.mark.parametrize("reason", list(LockReason))
def test_lock_explainer_shows_each_active_lock(client: Client, help_content: LoadReport,
                                               reason: LockReason) -> None:
    make_account(email="locked@example.com", lock=reason,
                 restrictions=[Restriction.LOGIN, Restriction.WITHDRAW])
    portal_login(english(client), "locked@example.com")
    body = client.get("/help/why-locked/").content.decode()
    assert f'data-reason="{reason.value}"' in body
    with translation.override("en"):
        english_label = str(reason.label)
    assert english_label in body
    for part in ("since", "blocked", "lifts", "next-step"):
        assert f'class="{part}"' in body, part
    assert "Log in, Withdraw" in body
    assert 'class="button secondary article-link"' in body
    # A hold that lifts by itself needs no application; every other lock links to it.
    assert ("apply-link" in body) == (reason != LockReason.SECURITY_CHANGE_HOLD)


def test_lock_explainer_for_an_unlocked_account(client: Client, help_content: LoadReport) -> None:
    make_account(email="fine@example.com")
    portal_login(english(client), "fine@example.com")
    assert "has no active restriction" in client.get("/help/why-locked/").content.decode()


def test_portal_dashboard_links_the_lock_explainer(client: Client, help_content: LoadReport) -> None:
    make_account(email="locked@example.com", lock=LockReason.RISK_CONTROL)
    portal_login(client, "locked@example.com")
    body = client.get("/portal/").content.decode()
    assert 'id="why-locked-link" href="/help/why-locked/"' in body
    assert "我的账户为什么被锁定？" in body


def test_wrong_codes_lock_shows_its_lift_time_when_the_exchange_gives_one(
        client: Client, help_content: LoadReport) -> None:
    account = make_account(email="locked@example.com", lock=LockReason.WRONG_CODES,
                           restrictions=[Restriction.LOGIN])
    portal_login(english(client), "locked@example.com")
    unknown = client.get("/help/why-locked/").content.decode()
    assert "Not at a time we know" in unknown and "lifted after a check" not in unknown

    lifts_at = timezone.now() + timedelta(hours=2)
    AccountLock.objects.filter(account=account).update(auto_lift_at=lifts_at)
    known = client.get("/help/why-locked/").content.decode()
    assert f'<dd class="lifts">{timezone.localtime(lifts_at):%Y-%m-%d %H:%M}</dd>' in known


def test_lock_explainer_shows_every_active_lock_of_the_account(client: Client,
                                                               help_content: LoadReport) -> None:
    account = make_account(email="locked@example.com", lock=LockReason.RISK_CONTROL)
    lock_account(account, reason=LockReason.SECURITY_CHANGE_HOLD, restrictions=[Restriction.WITHDRAW],
                 actor="system:test")
    lifted = lock_account(account, reason=LockReason.WRONG_CODES, restrictions=[Restriction.LOGIN],
                          actor="system:test")
    lift_lock(lifted, actor="system:test")
    portal_login(english(client), "locked@example.com")
    body = client.get("/help/why-locked/").content.decode()
    assert "has 2 active locks" in body
    assert body.count('class="card lock lock-status"') == 2
    assert 'data-reason="wrong_codes"' not in body


def test_reader_sees_their_own_answer_after_rating(client: Client, help_content: LoadReport) -> None:
    client.post("/help/live-chat/feedback/", {"helpful": "no", "comment": "Which hours is chat open?"})
    page = client.get("/help/live-chat/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    own = page[page.index('id="feedback-own"'):]
    own = own[:own.index("</p>")]
    assert "没有帮助" in own and "Which hours is chat open?" in own
    assert page.count("仍需要帮助？") == 1
