"""`unlockdesk search-help QUERY --lang zh-hans|en`: a JSON list, best first; and the
articles `unlockdesk seed-demo` loads."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from unlockdesk.helpcenter.models import Status, Translation
from unlockdesk.helpcenter.services import LoadReport

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("search-help", *args, stdout=out)
    return list(json.loads(out.getvalue()))


def test_prints_title_slug_score_best_first_in_chinese(help_content: LoadReport) -> None:
    rows = run("账户被锁了怎么办", "--lang", "zh-hans")
    assert rows and set(rows[0]) == {"title", "slug", "score"}
    assert rows[0]["slug"] in {"why-is-my-account-locked", "what-a-lock-blocks"}
    scores = [float(r["score"]) for r in rows]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert "账户" in str(rows[0]["title"])


def test_english_query_words_may_be_separate_arguments(help_content: LoadReport) -> None:
    rows = run("anti-phishing", "code", "--lang", "en", "--limit", "2")
    assert len(rows) == 2 and rows[0]["slug"] == "anti-phishing-code"
    assert "{{" not in str(rows[0]["title"])


def test_no_match_prints_an_empty_list(help_content: LoadReport) -> None:
    assert run("qqqqzzzz", "--lang", "en") == []


def test_bad_arguments_are_refused(help_content: LoadReport) -> None:
    with pytest.raises(CommandError):
        call_command("search-help", "locked", "--limit", "0", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("search-help", "locked", "--lang", "fr", stdout=StringIO(), stderr=StringIO())


def test_seed_demo_loads_the_articles_in_both_languages() -> None:
    call_command("seed-demo", "--accounts", "3", "--tickets-per-channel", "1", stdout=StringIO())
    for language in ("zh-hans", "en"):
        assert Translation.objects.filter(language=language, status=Status.PUBLISHED).count() >= 30
    assert run("被锁了", "--lang", "zh-hans")[0]["slug"] in {"why-is-my-account-locked",
                                                          "what-a-lock-blocks"}
