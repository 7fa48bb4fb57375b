"""Writes: shipped content, editing with revisions, publishing, feedback."""

import pytest

from unlockdesk.helpcenter import shipped
from unlockdesk.helpcenter.models import Article, Category, Feedback, Revision, Status, Translation
from unlockdesk.helpcenter.services import (
    ArticleNotFound,
    HelpContentInvalid,
    LoadReport,
    create_article,
    load_shipped_content,
    record_feedback,
    save_translation,
    unpublish,
)
from unlockdesk.safety.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_shipped_content_has_at_least_30_linked_articles_per_language(help_content: LoadReport) -> None:
    for language in shipped.LANGUAGES:
        assert Translation.objects.filter(language=language, status=Status.PUBLISHED).count() >= 30
    both = Article.objects.filter(translations__language="zh-hans").filter(
        translations__language="en").count()
    assert both == Article.objects.count()
    assert help_content.created == Translation.objects.count()


def test_shipped_content_covers_what_the_issue_names() -> None:
    slugs = {a.slug for a in shipped.articles()}
    for needed in ("contact-channels", "which-channel-when", "security-change-24h-hold",
                   "too-many-wrong-codes", "risk-control-review", "self-freeze-and-undo",
                   "stolen-account-report", "unlock-materials", "handheld-photo-rules",
                   "follow-your-ticket", "anti-phishing-code", "verify-official-channels",
                   "support-never-asks", "glossary", "live-chat", "email-support", "phone-support",
                   "social-media-support"):
        assert needed in slugs, needed
    for language in shipped.LANGUAGES:
        glossary = next(a for a in shipped.articles() if a.slug == "glossary" and a.language == language)
        for term in ("UID", "KYC", "2FA", "工单", "工号", "TXID"):
            assert term in glossary.body, (language, term)


def test_loading_again_changes_nothing(help_content: LoadReport) -> None:
    revisions = Revision.objects.count()
    again = load_shipped_content()
    assert again.created == again.updated == 0
    assert again.unchanged == help_content.created
    assert Revision.objects.count() == revisions


def test_loading_never_overwrites_a_staff_edit(help_content: LoadReport) -> None:
    article = Article.objects.get(slug="live-chat")
    save_translation(article=article, language="en", title="Live chat (edited)", body="Our text.",
                     actor="staff:1", publish=True)
    Translation.objects.filter(article__slug="glossary", language="en").update(shipped_digest="old")
    report = load_shipped_content()
    assert report.kept_edited == 1 and report.updated == 1
    assert Translation.objects.get(article=article, language="en").title == "Live chat (edited)"


def test_draft_of_a_published_article_keeps_the_live_text(help_content: LoadReport) -> None:
    article = Article.objects.get(slug="live-chat")
    live = Translation.objects.get(article=article, language="en")
    save_translation(article=article, language="en", title="New title", body="New body",
                     actor="staff:1", publish=False, note="wording")
    live.refresh_from_db()
    assert live.title != "New title" and live.is_published
    latest = live.revisions.first()
    assert latest is not None
    assert (latest.title, latest.status, latest.actor, latest.note) == (
        "New title", Status.DRAFT, "staff:1", "wording")
    assert AuditEntry.objects.filter(action="help.save_draft", target="article:live-chat:en").exists()


def test_publishing_updates_text_date_and_revision_history(help_content: LoadReport) -> None:
    article = Article.objects.get(slug="live-chat")
    before = Translation.objects.get(article=article, language="en")
    saved = save_translation(article=article, language="en", title="Chat with us", body="# Hello",
                             actor="staff:1", publish=True)
    assert saved.title == "Chat with us" and saved.body == "# Hello\n"
    assert saved.updated_at > before.updated_at and saved.shipped_digest == ""
    assert [r.number for r in saved.revisions.all()] == [2, 1]
    assert AuditEntry.objects.filter(action="help.publish").exists()


@pytest.mark.parametrize(("title", "body", "language"), [
    ("", "body", "en"), ("x" * 201, "body", "en"), ("Title", "   ", "en"), ("Title", "body", "fr"),
])
def test_bad_edit_is_refused_and_changes_nothing(help_content: LoadReport, title: str, body: str,
                                                 language: str) -> None:
    article = Article.objects.get(slug="live-chat")
    revisions = Revision.objects.count()
    with pytest.raises(HelpContentInvalid):
        save_translation(article=article, language=language, title=title, body=body,
                         actor="staff:1", publish=True)
    assert Revision.objects.count() == revisions
    assert Translation.objects.get(article=article, language="en").shipped_digest


def test_new_article_starts_as_a_draft_and_slug_must_be_free(help_content: LoadReport) -> None:
    category = Category.objects.get(slug="contact")
    draft = create_article(slug="New-Topic", category=category, language="en", title="New topic",
                           body="Text", actor="staff:1")
    assert draft.article.slug == "new-topic" and draft.status == Status.DRAFT
    with pytest.raises(HelpContentInvalid):
        create_article(slug="live-chat", category=category, language="en", title="T", body="B",
                       actor="staff:1")


def test_unpublish_keeps_text_and_revisions(help_content: LoadReport) -> None:
    translation = Translation.objects.get(article__slug="live-chat", language="en")
    unpublish(translation=translation, actor="staff:1")
    translation.refresh_from_db()
    assert translation.status == Status.DRAFT and translation.body
    assert translation.revisions.first().note == "unpublished"  # type: ignore[union-attr]


def test_feedback_comment_is_redacted_and_a_second_vote_replaces_the_first(
        help_content: LoadReport) -> None:
    translation = Translation.objects.get(article__slug="live-chat", language="en")
    first = record_feedback(translation=translation, helpful=False,
                            comment="did not help, my password is Hunter2Secret!")
    assert "Hunter2Secret" not in first.comment and "REDACTED" in first.comment
    second = record_feedback(translation=translation, helpful=True, replaces=first.pk)
    assert second.pk == first.pk and second.helpful and "REDACTED" in second.comment
    assert Feedback.objects.count() == 1


def test_feedback_on_unpublished_article_is_refused(help_content: LoadReport) -> None:
    translation = Translation.objects.get(article__slug="live-chat", language="en")
    unpublish(translation=translation, actor="staff:1")
    with pytest.raises(ArticleNotFound):
        record_feedback(translation=translation, helpful=True)
    assert not Feedback.objects.exists()
