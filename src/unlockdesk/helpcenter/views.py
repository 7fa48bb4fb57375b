"""Public help-center pages at /help/ (no sign-in), and the lock explainer (after the code)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unlockdesk.chinese import TRADITIONAL, for_reader
from unlockdesk.helpcenter import selectors, services
from unlockdesk.helpcenter.forms import FeedbackForm
from unlockdesk.helpcenter.models import Category
from unlockdesk.tickets import customer_session
from unlockdesk.tickets.customer_session import Customer, customer_required

FEEDBACK_KEY = "help_feedback"
APP_VIEW_KEY = "help_app_view"


def _language() -> str:
    """The reader's language; selectors serve zh-hant readers the Simplified text, converted."""
    code = (get_language() or "").lower()
    return code if code == TRADITIONAL else selectors.language_of(code)


def _render(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    """Pages opened inside the exchange's app (?view=app) drop the site chrome for the session."""
    view = request.GET.get("view")
    if view in ("app", "web"):
        request.session[APP_VIEW_KEY] = view == "app"
    context.setdefault("customer", customer_session.current(request))
    context["app_view"] = request.session.get(APP_VIEW_KEY, False)
    return render(request, template, context)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    language = _language()
    return _render(request, "helpcenter/home.html", {
        "categories": selectors.categories(language),
        "advice": selectors.recommend_channel(),
    })


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:selectors.MAX_QUERY]
    hits = selectors.search(query, _language(), limit=10) if query else []
    return _render(request, "helpcenter/search.html", {
        "query": query,
        "hits": hits,
        "advice": selectors.recommend_channel(text=query),
    })


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    hits = selectors.suggest(request.GET.get("q", ""), _language(), limit=6)
    return JsonResponse({"results": [{"title": h.title, "url": h.url} for h in hits]})


@require_GET
def category(request: HttpRequest, slug: str) -> HttpResponse:
    found = Category.objects.filter(slug=slug).first()
    if found is None:
        raise Http404
    listing = next((c for c in selectors.categories(_language()) if c.category.pk == found.pk), None)
    return _render(request, "helpcenter/category.html", {
        "category": found, "name": for_reader(found.name(_language()), _language()),
        "articles": listing.articles if listing else [],
    })


@require_GET
def article(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.article_page(slug, _language())
    if page is None:
        raise Http404
    voted = request.session.get(FEEDBACK_KEY, {}).get(str(page.translation.pk))
    own = selectors.own_feedback(page.translation, voted)
    return _render(request, "helpcenter/article.html", {
        "page": page,
        "form": FeedbackForm(initial={"comment": own.comment} if own else None),
        "voted": own is not None,
        "own": own,
        "advice": selectors.recommend_channel(article_slug=slug, category_slug=page.category.slug),
    })


@require_POST
def feedback(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.article_page(slug, _language())
    if page is None:
        raise Http404
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose Yes or No (comments up to 1000 characters)."))
        return redirect(f"{selectors.article_url(slug)}#feedback")
    votes = dict(request.session.get(FEEDBACK_KEY, {}))
    key = str(page.translation.pk)
    try:
        saved = services.record_feedback(
            translation=page.translation, helpful=form.cleaned_data["helpful"] == "yes",
            comment=form.cleaned_data["comment"], replaces=votes.get(key))
    except services.ArticleNotFound as exc:
        raise Http404 from exc
    votes[key] = saved.pk
    request.session[FEEDBACK_KEY] = votes
    messages.success(request, _("Thank you for your feedback."))
    return redirect(f"{selectors.article_url(slug)}#feedback")


@customer_required
def why_locked(request: HttpRequest, customer: Customer) -> HttpResponse:
    statuses = selectors.lock_statuses(customer.account, _language()) if customer.account else []
    reasons = tuple(str(s.lock.reason) for s in statuses)
    return _render(request, "helpcenter/why_locked.html", {
        "customer": customer,
        "statuses": statuses,
        "advice": selectors.recommend_channel(lock_reasons=reasons),
    })
