"""Search quality on the shipped articles: the labelled questions, synonyms, typos, highlights."""

import statistics

import pytest

from unlockdesk.helpcenter.search import Analyzer, Document, SearchIndex


def ranks(indexes: dict[str, SearchIndex], queries: list[dict[str, object]]) -> list[int]:
    """Rank (1-based, 0 = not in the top 5) of the first acceptable article per query."""
    out = []
    for item in queries:
        found = [m.document.key for m in indexes[str(item["language"])].search(str(item["query"]), 5)]
        expected = set(item["expected"])  # type: ignore[call-overload]
        out.append(next((i + 1 for i, key in enumerate(found) if key in expected), 0))
    return out


def mrr(found: list[int]) -> float:
    return statistics.fmean(1 / r if r else 0.0 for r in found)


def test_labelled_set_has_at_least_60_questions_in_both_languages(
        labelled_queries: list[dict[str, object]], indexes: dict[str, SearchIndex]) -> None:
    assert len(labelled_queries) >= 60
    languages = [q["language"] for q in labelled_queries]
    assert languages.count("zh-hans") >= 30 and languages.count("en") >= 30
    slugs = {d.key for d in indexes["en"].documents}
    for item in labelled_queries:
        assert set(item["expected"]) <= slugs, item  # type: ignore[call-overload]


def test_labelled_questions_reach_target_mrr_and_recall(
        labelled_queries: list[dict[str, object]], indexes: dict[str, SearchIndex]) -> None:
    found = ranks(indexes, labelled_queries)
    assert mrr(found) >= 0.9
    assert sum(1 for r in found if 0 < r <= 3) / len(found) >= 0.95


def test_dictionary_and_synonyms_beat_plain_bm25(
        labelled_queries: list[dict[str, object]], indexes: dict[str, SearchIndex],
        baseline_indexes: dict[str, SearchIndex]) -> None:
    assert mrr(ranks(indexes, labelled_queries)) > mrr(ranks(baseline_indexes, labelled_queries)) + 0.03


@pytest.mark.parametrize(("article_word", "query_word"), [
    ("锁定", "被锁"), ("冻结", "锁住"), ("限制", "被锁"),
    ("提币", "提现"), ("提现", "提币"),
    ("客服", "支持"), ("支持", "客服"),
    ("验证码", "动态码"), ("动态码", "验证码"),
])
def test_chinese_synonyms_find_articles_that_use_the_other_word(
        article_word: str, query_word: str, analyzer: Analyzer) -> None:
    documents = [
        Document("target", f"关于{article_word}的说明", f"遇到{article_word}问题时请先阅读本文。"),
        Document("other", "充值到账说明", "充值需要网络确认后到账，请耐心等待。"),
    ]
    ours = SearchIndex(documents, analyzer)
    plain = SearchIndex(documents, Analyzer(domain_dictionary=False, synonyms=False),
                        typo_tolerance=False)
    assert [m.document.key for m in ours.search(f"{query_word}怎么办", 2)] == ["target"]
    assert "target" not in [m.document.key for m in plain.search(f"{query_word}怎么办", 2)]


def test_exact_word_outranks_its_synonym(analyzer: Analyzer) -> None:
    index = SearchIndex([Document("synonym", "账户冻结说明", "冻结期间无法登录。"),
                         Document("exact", "账户被锁说明", "被锁期间无法登录。")], analyzer)
    assert [m.document.key for m in index.search("被锁", 2)] == ["exact", "synonym"]


def test_domain_dictionary_keeps_domain_words_whole(indexes: dict[str, SearchIndex]) -> None:
    terms = indexes["zh-hans"].analyzer.terms("防钓鱼码和工单号在哪里看")
    assert "防钓鱼码" in terms and "工单号" in terms


def test_english_stemming_matches_word_forms(indexes: dict[str, SearchIndex]) -> None:
    assert indexes["en"].search("withdrawals paused", 1)[0].document.key == \
        indexes["en"].search("withdrawal pause", 1)[0].document.key


@pytest.mark.parametrize(("query", "expected"), [
    ("acount lockd", {"why-is-my-account-locked", "what-a-lock-blocks", "suspicious-login-lock"}),
    ("withdrawl", {"security-change-24h-hold", "what-a-lock-blocks"}),
    ("pasword chnage", {"reset-password-or-2fa"}),
    ("handhld", {"handheld-photo-rules", "unlock-materials"}),
])
def test_english_typos_are_tolerated(query: str, expected: set[str], indexes: dict[str, SearchIndex],
                                     analyzer: Analyzer) -> None:
    assert {m.document.key for m in indexes["en"].search(query, 3)} & expected
    strict = SearchIndex(indexes["en"].documents, analyzer, typo_tolerance=False)
    assert strict.search(query, 3) == []


def test_typo_in_one_word_keeps_the_rest_of_the_question(indexes: dict[str, SearchIndex]) -> None:
    found = [m.document.key for m in indexes["en"].search("withdrawl suspended after pasword change", 3)]
    assert "security-change-24h-hold" in found


def test_title_weighs_more_than_body(indexes: dict[str, SearchIndex]) -> None:
    top = indexes["en"].search("anti-phishing code", 3)
    assert top[0].document.key == "anti-phishing-code"


def test_highlights_mark_matched_words_and_escape_html(indexes: dict[str, SearchIndex]) -> None:
    hit = indexes["zh-hans"].search("手持照片", 1)[0]
    assert "<mark>" in hit.title_html + hit.snippet_html
    assert "<script" not in indexes["en"].search("<script>alert(1)</script> locked", 1)[0].snippet_html
    hit = indexes["en"].search("unlock materials", 1)[0]
    assert "<mark>" in hit.title_html and "<mark>" in hit.snippet_html


def test_suggestions_complete_the_word_being_typed(indexes: dict[str, SearchIndex]) -> None:
    assert {m.document.key for m in indexes["en"].suggest("anti-phis", 3)} & {"anti-phishing-code"}
    assert indexes["en"].suggest("handh", 3)[0].document.key in {"handheld-photo-rules", "unlock-materials"}
    assert indexes["zh-hans"].suggest("防钓鱼", 3)[0].document.key == "anti-phishing-code"


def test_empty_or_unknown_queries_find_nothing(indexes: dict[str, SearchIndex]) -> None:
    assert indexes["en"].search("", 5) == []
    assert indexes["en"].search("   !!! ", 5) == []
    assert indexes["en"].search("qqqqxzz", 5) == []
    assert indexes["zh-hans"].suggest("", 5) == []
