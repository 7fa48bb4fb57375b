"""Reads of the help center: search, pages, the lock explainer and the channel advice.

Only published translations are ever returned to customers. `search()` is the contract the
chat widget and email acknowledgements use.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.accounts.advice import LockAdvice, advise
from unlockdesk.accounts.models import ExchangeAccount
from unlockdesk.accounts.selectors import LockView
from unlockdesk.accounts.types import LockReason
from unlockdesk.chinese import for_reader, to_simplified
from unlockdesk.helpcenter import index_cache, markup
from unlockdesk.helpcenter.models import Article, Category, Feedback, Revision, Status, Translation
from unlockdesk.helpcenter.search import Match
from unlockdesk.helpcenter.types import ChannelAction, ChannelAdvice, Language, SearchHit, Urgency
from unlockdesk.tickets import triage
from unlockdesk.tickets.models import Category as TicketCategory
from unlockdesk.tickets.models import Priority

MAX_QUERY = 200

# The article that explains each lock reason and how it is lifted.
LOCK_ARTICLES: dict[LockReason, str] = {
    LockReason.RISK_CONTROL: "risk-control-review",
    LockReason.SUSPICIOUS_LOGIN: "suspicious-login-lock",
    LockReason.WRONG_CODES: "too-many-wrong-codes",
    LockReason.SECURITY_CHANGE_HOLD: "security-change-24h-hold",
    LockReason.SELF_FREEZE: "self-freeze-and-undo",
    LockReason.COMPLIANCE_REVIEW: "compliance-review",
    LockReason.STOLEN_REPORT: "stolen-account-report",
}
URGENT_ARTICLES = frozenset({"stolen-account-report", "emergency-freeze", "secrets-shared-by-mistake",
                             "recognise-scams"})
COMPLEX_CATEGORIES = frozenset({"locks", "unlock"})


def language_of(code: str | None) -> str:
    """Our two content languages: any zh-* is Simplified Chinese, anything else English."""
    return Language.ZH_HANS if (code or "").lower().startswith("zh") else Language.EN


def article_url(slug: str) -> str:
    return _article_url(slug, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=1024)
def _article_url(slug: str, prefix: str, urlconf: str) -> str:
    """Kept per script prefix and URLconf (what reverse() reads): every search result and
    acknowledgement links articles, and reversing cost 50 us each."""
    return reverse("helpcenter:article", args=[slug], urlconf=urlconf)


def unlock_url() -> str:
    """The unlock application's start page, or "" while that part is not installed."""
    try:
        return reverse("unlock:start")
    except NoReverseMatch:
        return ""


# --- search -----------------------------------------------------------------------------------

def search(query: str, language: str, limit: int = 5, *, fallback: bool = True,
           marked: bool = True) -> list[SearchHit]:
    """Published articles for `query`, best first; with `fallback` the other language is
    tried when the reader's has no match; `marked=False` leaves the highlighted title and
    snippet empty. Never raises for odd input: an empty query finds nothing. The chat widget
    and the acknowledgements call this."""
    query = to_simplified((query or "").strip()[:MAX_QUERY])
    if not query:
        return []
    limit = max(1, min(limit, 50))
    primary = language_of(language)
    for lang in (primary, _other(primary)) if fallback else (primary,):
        matches = index_cache.index_for(lang).search(query, limit, marked=marked)
        if matches:
            return [_hit(m, lang, language) for m in matches]
    return []


def acknowledgement_suggestions(text: str, language: str, limit: int = 3) -> list[str]:
    """Lines for an automatic acknowledgement: a heading and "title: link" per article, in the
    ticket's language (activate it first); empty when nothing matches."""
    hits = search(text, language, limit=limit, fallback=False, marked=False)
    if not hits:
        return []
    site = settings.SITE_URL.rstrip("/")
    return ["", _("These help articles may answer your question right away:"),
            *[f"- {hit.title}: {site}{hit.url}" for hit in hits]]


def suggest(partial: str, language: str, limit: int = 5) -> list[SearchHit]:
    """Results while the reader types (the last word may be unfinished)."""
    partial = to_simplified((partial or "")[:MAX_QUERY])
    if not partial.strip():
        return []
    lang = language_of(language)
    return [_hit(m, lang, language)
            for m in index_cache.index_for(lang).suggest(partial, max(1, min(limit, 10)))]


def _other(language: str) -> str:
    return Language.EN if language == Language.ZH_HANS else Language.ZH_HANS


def _hit(match: Match, language: str, reader: str) -> SearchHit:
    """A result as the reader sees it: Simplified articles read in Traditional by zh-hant."""
    doc = match.document
    return SearchHit(title=for_reader(doc.title, reader), slug=doc.key, score=match.score,
                     url=article_url(doc.key), language=language, category=doc.category,
                     title_html=for_reader(match.title_html, reader) if match.title_html else "",
                     snippet_html=for_reader(match.snippet_html, reader) if match.snippet_html else "")


# --- pages ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArticlePage:
    translation: Translation
    title: str
    html: str
    category: Category
    category_name: str
    updated_at: datetime
    other_language: Translation | None
    related: list[SearchHit]


def published(language: str) -> QuerySet[Translation]:
    return (Translation.objects.filter(language=language_of(language), status=Status.PUBLISHED)
            .select_related("article__category"))


def fill_values(language: str) -> dict[str, str]:
    return markup.placeholder_values(settings.BRAND, language_of(language), settings.SITE_URL)


def title_of(translation: Translation) -> str:
    return markup.fill(translation.title, fill_values(translation.language))


def article_page(slug: str, language: str) -> ArticlePage | None:
    """The article in the reader's language, else its other published translation."""
    lang = language_of(language)
    rows = {t.language: t for t in Translation.objects.filter(
        article__slug=slug, status=Status.PUBLISHED).select_related("article__category")}
    translation = rows.get(lang) or rows.get(_other(lang))
    if translation is None:
        return None
    values = fill_values(translation.language)
    reader = language if translation.language == lang else translation.language
    title = markup.fill(translation.title, values)
    related = [hit for hit in search(title, reader, limit=6) if hit.slug != slug][:4]
    if len(related) < 3:
        same = published(translation.language).filter(
            article__category=translation.article.category).exclude(article__slug=slug)[:4]
        known = {h.slug for h in related}
        related += [SearchHit(title=for_reader(title_of(t), reader), slug=t.article.slug, score=0.0,
                              url=article_url(t.article.slug), language=t.language)
                    for t in same if t.article.slug not in known][:4 - len(related)]
    category = translation.article.category
    return ArticlePage(
        translation=translation,
        title=for_reader(title, reader),
        html=for_reader(markup.to_html(markup.fill(translation.body, values)), reader),
        category=category,
        category_name=for_reader(category.name(translation.language), reader),
        updated_at=translation.updated_at,
        other_language=rows.get(_other(translation.language)),
        related=related,
    )


@dataclass(frozen=True)
class CategoryListing:
    category: Category
    name: str
    articles: list[tuple[str, str]]  # (title, url)


def categories(language: str) -> list[CategoryListing]:
    lang = language_of(language)
    rows = list(published(lang).order_by("article__category__position", "article__position",
                                         "article__slug"))
    out: list[CategoryListing] = []
    for category in Category.objects.all():
        items = [(for_reader(title_of(t), language), article_url(t.article.slug)) for t in rows
                 if t.article.category_id == category.pk]
        if items:
            out.append(CategoryListing(category, for_reader(category.name(lang), language), items))
    return out


def preview_html(body: str, language: str) -> str:
    """An editor's Markdown as readers would see it (placeholders filled, sanitised)."""
    return markup.to_html(markup.fill(body, fill_values(language)))


# --- "why is my account locked?" ------------------------------------------------------------

@dataclass(frozen=True)
class LockStatus:
    lock: LockView
    advice: LockAdvice
    article_url: str
    article_title: str
    unlock_url: str


def lock_statuses(account: ExchangeAccount, language: str) -> list[LockStatus]:
    """Each active lock with plain-words advice, its article and the unlock application."""
    lang = language_of(language)
    slugs = {reason: slug for reason, slug in LOCK_ARTICLES.items()}
    titles = {t.article.slug: for_reader(title_of(t), language) for t in published(lang).filter(
        article__slug__in=slugs.values())}
    apply_url = unlock_url()
    out = []
    for lock in account_selectors.active_locks(account):
        slug = slugs.get(lock.reason, "why-is-my-account-locked")
        out.append(LockStatus(lock=lock, advice=advise(lock), article_url=article_url(slug),
                              article_title=titles.get(slug, ""), unlock_url=apply_url))
    return out


def lock_article_url(reason: str) -> str:
    try:
        return article_url(LOCK_ARTICLES[LockReason(reason)])
    except ValueError:
        return article_url("why-is-my-account-locked")


# --- "still need help?" -----------------------------------------------------------------------

def urgency_of(*, text: str = "", article_slug: str = "", category_slug: str = "",
               lock_reasons: tuple[str, ...] = ()) -> Urgency:
    """How urgent the reader's situation looks, from what they read, typed or are locked by."""
    if LockReason.STOLEN_REPORT in lock_reasons or article_slug in URGENT_ARTICLES:
        return Urgency.URGENT
    found = triage.triage("", text) if text else None
    if found is not None and (found.priority == Priority.URGENT or found.category in (
            TicketCategory.STOLEN_ACCOUNT, TicketCategory.FRAUD)):
        return Urgency.URGENT
    if lock_reasons or category_slug in COMPLEX_CATEGORIES:
        return Urgency.COMPLEX
    if found is not None and found.category in (TicketCategory.ACCOUNT_LOCKED, TicketCategory.KYC):
        return Urgency.COMPLEX
    return Urgency.SIMPLE


def recommend_channel(*, text: str = "", article_slug: str = "", category_slug: str = "",
                      lock_reasons: tuple[str, ...] = ()) -> ChannelAdvice:
    """The channel that fits the urgency: stolen or funds at risk -> freeze, then chat or phone
    now; a case that needs documents -> unlock application or email; a question -> chat."""
    urgency = urgency_of(text=text, article_slug=article_slug, category_slug=category_slug,
                         lock_reasons=lock_reasons)
    new_request = reverse("portal:new_ticket")
    chat = ChannelAction("chat", _("Chat with an agent now"), new_request)
    if urgency == Urgency.URGENT:
        return ChannelAdvice(urgency, _("Act now: freeze first, then talk to us"), _(
            "If your account may be stolen or your funds are at risk, freeze the account "
            "first: it blocks login, trading and withdrawals at once. Then chat with us or "
            "call us; an agent takes urgent cases first."), [
            ChannelAction("freeze", _("How to freeze my account now"), article_url("emergency-freeze")),
            chat,
            ChannelAction("phone", _("Call us (and freeze by phone)"), article_url("phone-support")),
        ])
    if urgency == Urgency.COMPLEX:
        return ChannelAdvice(urgency, _("Your case needs documents"), _(
            "Unlocking and reviews need your identity documents. The unlock application "
            "asks for exactly what we need and you follow it by ticket number; you can also "
            "send everything by email."), [
            ChannelAction("unlock", _("Apply to unlock"),
                          unlock_url() or article_url("apply-to-unlock")),
            ChannelAction("email", _("Email us"), f"mailto:{settings.BRAND.support_email}"),
            ChannelAction("ticket", _("Open a request"), new_request),
        ])
    return ChannelAdvice(urgency, _("Talk to an agent"), _(
        "Ask us in the chat: an agent usually answers within minutes."), [
        chat,
        ChannelAction("ticket", _("Open a request"), new_request),
    ])


# --- console ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedbackSummary:
    translation: Translation
    helpful: int
    not_helpful: int


def feedback_list(*, helpful: str = "", language: str = "", limit: int = 100) -> QuerySet[Feedback]:
    """Readers' votes and comments, newest first, for agents (comments are stored redacted)."""
    rows = Feedback.objects.select_related("translation__article")
    if helpful in ("yes", "no"):
        rows = rows.filter(helpful=helpful == "yes")
    if language in (Language.ZH_HANS, Language.EN):
        rows = rows.filter(translation__language=language)
    return rows[:limit]


def own_feedback(translation: Translation, feedback_pk: int | None) -> Feedback | None:
    """The reader's own answer on this article (its id is kept in their session), to show it back."""
    if feedback_pk is None:
        return None
    return Feedback.objects.filter(pk=feedback_pk, translation=translation).first()


def feedback_summary() -> list[FeedbackSummary]:
    rows = (Translation.objects.select_related("article")
            .annotate(yes=Count("feedback", filter=Q(feedback__helpful=True)),
                      no=Count("feedback", filter=Q(feedback__helpful=False)))
            .filter(Q(yes__gt=0) | Q(no__gt=0)).order_by("-no", "-yes"))
    return [FeedbackSummary(t, t.yes, t.no) for t in rows]


def articles_for_editing() -> QuerySet[Article]:
    return Article.objects.select_related("category").prefetch_related("translations")


def revisions_of(translation: Translation, limit: int = 30) -> QuerySet[Revision]:
    return translation.revisions.all()[:limit]


def revision(translation: Translation, number: str) -> Revision | None:
    """One earlier text of a translation by its number, or None for a number it never had."""
    if not number.isdigit():
        return None
    return translation.revisions.filter(number=int(number)).first()
