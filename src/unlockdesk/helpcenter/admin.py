from django.contrib import admin

from unlockdesk.helpcenter.models import Article, Category, Feedback, Revision, Translation


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_zh", "position"]


class TranslationInline(admin.StackedInline):
    model = Translation
    extra = 0
    max_num = 0
    can_delete = False
    # Edits go through the console editor (revisions, audit, index refresh), never here.
    readonly_fields = ["language", "title", "status", "updated_at", "published_at", "shipped_digest"]
    exclude = ["body"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["slug", "category", "position"]
    list_filter = ["category"]
    inlines = [TranslationInline]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["translation", "number", "status", "actor", "created_at"]
    readonly_fields = ["translation", "number", "title", "body", "status", "actor", "note", "created_at"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["translation", "helpful", "created_at"]
    list_filter = ["helpful"]
