"""Console pages of the help center: readers' feedback for agents, the editor for admins."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unlockdesk.helpcenter import selectors, services
from unlockdesk.helpcenter.forms import ArticleEditForm, NewArticleForm
from unlockdesk.helpcenter.models import Article, Revision, Translation
from unlockdesk.safety.audit import actor_of
from unlockdesk.staff.models import Role
from unlockdesk.staff.permissions import require_role

LANGUAGES = ("zh-hans", "en")


@require_role(Role.AGENT)
def feedback_list(request: HttpRequest) -> HttpResponse:
    helpful = request.GET.get("helpful", "")
    language = request.GET.get("language", "")
    return render(request, "helpcenter/console/feedback.html", {
        "rows": selectors.feedback_list(helpful=helpful, language=language),
        "summary": selectors.feedback_summary()[:20],
        "helpful": helpful,
        "language": language,
    })


@require_role(Role.AGENT)
def articles(request: HttpRequest) -> HttpResponse:
    return render(request, "helpcenter/console/articles.html", {
        "articles": selectors.articles_for_editing(), "languages": LANGUAGES})


@require_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    article = Article.objects.filter(slug=slug).first()
    if article is None or language not in LANGUAGES:
        raise Http404
    translation = Translation.objects.filter(article=article, language=language).first()
    latest = translation.revisions.first() if translation else None
    # ?revision=N loads an earlier text into the editor: reading it, or publishing it again,
    # is how an edit is undone.
    loaded = _requested_revision(request, translation)
    shown = loaded or latest
    initial = {"title": shown.title, "body": shown.body} if shown else {}
    form = ArticleEditForm(request.POST or None, initial=initial)
    preview = ""
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "preview")
        data = form.cleaned_data
        if action == "preview":
            preview = selectors.preview_html(data["body"], language)
        elif action in ("save", "publish"):
            try:
                services.save_translation(article=article, language=language, title=data["title"],
                                          body=data["body"], actor=actor_of(request.user),
                                          publish=action == "publish", note=data["note"])
            except services.HelpContentInvalid as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Published.") if action == "publish" else _("Draft saved."))
                return redirect("helpcenter:console_edit", slug=slug, language=language)
        elif action == "unpublish" and translation is not None:
            services.unpublish(translation=translation, actor=actor_of(request.user))
            messages.success(request, _("Taken off the help center."))
            return redirect("helpcenter:console_edit", slug=slug, language=language)
    return render(request, "helpcenter/console/edit.html", {
        "article": article,
        "language": language,
        "translation": translation,
        "form": form,
        "preview": preview,
        "pending_draft": bool(translation and latest and translation.is_published
                              and latest.status == "draft"),
        "revisions": selectors.revisions_of(translation) if translation else [],
        "loaded_revision": loaded,
    })


def _requested_revision(request: HttpRequest, translation: Translation | None) -> Revision | None:
    number = request.GET.get("revision", "")
    if request.method != "GET" or not number:
        return None
    found = selectors.revision(translation, number) if translation else None
    if found is None:
        raise Http404
    return found


@require_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def new_article(request: HttpRequest) -> HttpResponse:
    form = NewArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_article(slug=data["slug"], category=data["category"],
                                    language=data["language"], title=data["title"],
                                    body=data["body"], actor=actor_of(request.user))
        except services.HelpContentInvalid as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("helpcenter:console_edit", slug=data["slug"], language=data["language"])
    return render(request, "helpcenter/console/new.html", {"form": form})
