"""The outbound guard on the labelled corpus of agent drafts, and `unlockdesk guard` over stdin.

The corpus (tests/safety/data/guard_corpus.jsonl) holds realistic drafts in zh and en: asks for
secrets in other words and the same topics asked safely. Its `tune` split is what the guard was
tuned on, so every draft there must be judged as labelled; the `heldout` split was written
before tuning and is held to the issue's bar as part of the whole (bench/guard.py prints both).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from unlockdesk.safety.guard import check

CORPUS = Path(__file__).parent / "data" / "guard_corpus.jsonl"
ROWS = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
TUNE = [row for row in ROWS if row["split"] == "tune"]


def test_the_corpus_covers_both_languages_every_reason_and_safe_asks_in_both_splits() -> None:
    for split in ("tune", "heldout"):
        rows = [row for row in ROWS if row["split"] == split]
        assert {row["lang"] for row in rows} == {"zh", "en"}
        assert {row["reason"] for row in rows} == {"ok", "asks_secret", "remote_access", "safe_wallet"}
        safe = sum(not row["blocked"] for row in rows)
        assert 0.4 < safe / len(rows) < 0.6  # as many hard negatives as asks


@pytest.mark.parametrize("row", TUNE, ids=[row["text"][:40] for row in TUNE])
def test_every_tuned_draft_is_judged_as_labelled(row: dict[str, object]) -> None:
    violation = check(str(row["text"]))
    assert (violation.code if violation else "ok") == row["reason"]


def test_the_whole_corpus_meets_the_precision_and_recall_bar() -> None:
    flagged = [(bool(row["blocked"]), check(str(row["text"])) is not None) for row in ROWS]
    tp = sum(truth and hit for truth, hit in flagged)
    precision = tp / sum(hit for _truth, hit in flagged)
    recall = tp / sum(truth for truth, _hit in flagged)
    assert precision >= 0.97 and recall >= 0.97, (precision, recall)


def test_guard_command_prints_one_verdict_per_stdin_line() -> None:
    drafts = "Can you read me the 6 numbers you just received?\n那串数字发一下\n请发一下报错页面的截图\n"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "unlockdesk.cli", "guard", "--language", "zh-hans"],
                          input=drafts, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["blocked"] for line in lines] == [True, True, False]
    assert "验证码" in lines[0]["reason"] and lines[2]["reason"] == ""
