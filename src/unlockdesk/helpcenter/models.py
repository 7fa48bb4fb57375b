"""Help articles: a language-independent article with one translation per language.

Each translation is Markdown, draft or published, with a revision for every saved change.
Brand words and domains are placeholders ({{brand}}, {{domain}} ...) filled in at render
time, so the same content serves any exchange.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unlockdesk.helpcenter.types import Language


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


LANGUAGE_CHOICES = [(Language.ZH_HANS.value, "简体中文"), (Language.EN.value, "English")]


class Category(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    position = models.PositiveIntegerField(default=100)
    name_zh = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name_en

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


class Article(models.Model):
    """The topic; its translations share the slug, so /help/<slug>/ shows the reader's language."""

    slug = models.SlugField(max_length=100, unique=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles")
    position = models.PositiveIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["category__position", "position", "slug"]

    def __str__(self) -> str:
        return self.slug


class Translation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown; placeholders such as {{brand}} are filled in on render.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    shipped_digest = models.CharField(
        max_length=64, blank=True,
        help_text="Digest of the shipped file this text came from; empty once staff edited it.")

    class Meta:
        ordering = ["article", "language"]
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="uniq_article_language"),
        ]
        indexes = [models.Index(fields=["language", "status"])]

    def __str__(self) -> str:
        return f"{self.article.slug} [{self.language}]"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Revision(models.Model):
    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices)
    actor = models.CharField(max_length=64)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["translation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "number"], name="uniq_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.translation} r{self.number}"


class Feedback(models.Model):
    """"Was this helpful?" from a reader; the comment is stored redacted of secrets."""

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.translation} {'+' if self.helpful else '-'}"
