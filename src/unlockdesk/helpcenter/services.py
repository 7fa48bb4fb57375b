"""Writes to the help center: shipped content, editing with revisions, publishing, feedback.

Every write is atomic; publishing changes are audited and drop this process's search index
once committed (other processes notice through the index signature).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from unlockdesk.helpcenter import index_cache, shipped
from unlockdesk.helpcenter.models import Article, Category, Feedback, Revision, Status, Translation
from unlockdesk.helpcenter.types import Language
from unlockdesk.safety.audit import record
from unlockdesk.safety.services import scan_inbound

MAX_COMMENT = 1000


class HelpContentInvalid(ValueError):
    """Bad input for an article; nothing was changed."""


class ArticleNotFound(LookupError):
    pass


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int
    kept_edited: int


def load_shipped_content(*, actor: str = "system:seed") -> LoadReport:
    """Create or refresh the shipped categories and articles; safe to run again.

    A translation staff edited (its shipped digest cleared) is never overwritten.
    """
    created = updated = unchanged = kept = 0
    with transaction.atomic():
        for cat in shipped.categories():
            Category.objects.update_or_create(slug=cat.slug, defaults={
                "position": cat.position, "name_zh": cat.name_zh, "name_en": cat.name_en})
        by_slug = {c.slug: c for c in Category.objects.all()}
        for item in shipped.articles():
            if item.category not in by_slug:
                raise HelpContentInvalid(f"{item.language}/{item.slug}: unknown category {item.category}")
            article, _ = Article.objects.get_or_create(
                slug=item.slug,
                defaults={"category": by_slug[item.category], "position": item.position})
            translation = Translation.objects.filter(article=article, language=item.language).first()
            if translation is None:
                translation = Translation.objects.create(
                    article=article, language=item.language, title=item.title, body=item.body,
                    status=Status.PUBLISHED, published_at=timezone.now(), shipped_digest=item.digest)
                _revision(translation, Status.PUBLISHED, actor, "shipped")
                created += 1
            elif not translation.shipped_digest:
                kept += 1
            elif translation.shipped_digest != item.digest:
                translation.title, translation.body = item.title, item.body
                translation.shipped_digest = item.digest
                translation.updated_at = timezone.now()
                translation.save()
                _revision(translation, Status(translation.status), actor, "shipped update")
                Article.objects.filter(pk=article.pk).update(
                    category=by_slug[item.category], position=item.position)
                updated += 1
            else:
                unchanged += 1
        transaction.on_commit(index_cache.invalidate)
    return LoadReport(created, updated, unchanged, kept)


def save_translation(
    *,
    article: Article,
    language: str,
    title: str,
    body: str,
    actor: str,
    publish: bool,
    note: str = "",
) -> Translation:
    """Store an edit as a new revision; with `publish` it goes live at once.

    Without `publish`, a published translation keeps its live text and the revision waits as
    a draft; an unpublished one takes the text directly.
    """
    title, body = title.strip(), body.strip()
    if language not in Language.__members__.values():
        raise HelpContentInvalid("unknown language")
    if not title or len(title) > 200:
        raise HelpContentInvalid("a title of 1 to 200 characters is needed")
    if not body:
        raise HelpContentInvalid("the article needs a body")
    with transaction.atomic():
        translation = (Translation.objects.select_for_update()
                       .filter(article=article, language=language).first())
        now = timezone.now()
        if translation is None:
            translation = Translation(article=article, language=language, title=title, body=body)
        if publish or not translation.is_published:
            translation.title, translation.body = title, body + "\n"
            translation.updated_at = now
            translation.shipped_digest = ""
            if publish:
                translation.status = Status.PUBLISHED
                translation.published_at = now
            translation.save()
        status = Status.PUBLISHED if publish else Status.DRAFT
        revision = Revision.objects.create(
            translation=translation, number=_next_number(translation), title=title, body=body + "\n",
            status=status, actor=actor, note=note[:200])
        record(actor=actor, action="help.publish" if publish else "help.save_draft",
               target=f"article:{article.slug}:{language}", revision=revision.number)
        transaction.on_commit(index_cache.invalidate)
    return translation


def unpublish(*, translation: Translation, actor: str) -> Translation:
    """Take a translation off the help center; its text and revisions stay."""
    with transaction.atomic():
        translation.status = Status.DRAFT
        translation.updated_at = timezone.now()
        translation.save(update_fields=["status", "updated_at"])
        _revision(translation, Status.DRAFT, actor, "unpublished")
        record(actor=actor, action="help.unpublish",
               target=f"article:{translation.article.slug}:{translation.language}")
        transaction.on_commit(index_cache.invalidate)
    return translation


def create_article(*, slug: str, category: Category, language: str, title: str, body: str,
                   actor: str) -> Translation:
    """A new article with its first translation, as a draft."""
    slug = slug.strip().lower()
    if not slug or Article.objects.filter(slug=slug).exists():
        raise HelpContentInvalid("this address (slug) is empty or already taken")
    with transaction.atomic():
        article = Article.objects.create(slug=slug, category=category)
        return save_translation(article=article, language=language, title=title, body=body,
                                actor=actor, publish=False, note="created")


def record_feedback(*, translation: Translation, helpful: bool, comment: str = "",
                    replaces: int | None = None) -> Feedback:
    """Store a reader's vote; `replaces` (the reader's earlier vote here) is updated instead.

    The comment is scanned like any customer text: secrets are redacted before storing.
    """
    if not translation.is_published:
        raise ArticleNotFound(translation.article.slug)
    text = scan_inbound(comment.strip()[:MAX_COMMENT]).redacted if comment.strip() else ""
    with transaction.atomic():
        existing = (Feedback.objects.select_for_update()
                    .filter(pk=replaces, translation=translation).first() if replaces else None)
        if existing is not None:
            existing.helpful = helpful
            existing.comment = text or existing.comment
            existing.updated_at = timezone.now()
            existing.save(update_fields=["helpful", "comment", "updated_at"])
            return existing
        return Feedback.objects.create(translation=translation, helpful=helpful, comment=text)


def _next_number(translation: Translation) -> int:
    last = translation.revisions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _revision(translation: Translation, status: Status, actor: str, note: str) -> Revision:
    return Revision.objects.create(
        translation=translation, number=_next_number(translation), title=translation.title,
        body=translation.body, status=status, actor=actor, note=note)
