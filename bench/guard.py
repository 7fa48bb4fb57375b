"""Outbound-guard quality on the labelled corpus of agent messages (tests/safety/data/guard_corpus.jsonl).

Each line is one agent draft, zh or en, labelled `blocked` (asks for a password, an SMS / 2FA /
email code, an API key, a private key, seed words, remote-desktop or screen sharing, or a
transfer to a "safe" wallet, directly or in other words) or not (the same topics asked safely:
warnings, screenshots of errors, codes typed in the app, TXIDs, UIDs). Positive = blocked.

The corpus was written in rounds (`round` on each line). Each round was first judged unseen,
then its errors were fixed in safety/detect/asks.py (never by editing the drafts) and it joined
the `tune` split. Unseen, round 2 scored precision 0.939 recall 0.958, round 3 0.966 / 0.824
and round 4 0.938 / 0.857 (the guard before this work: precision 0.899 recall 0.492 on rounds
1-2): wording rules generalise only so far, which is why every round is kept.
The last round is the `heldout` split: written before the previous round's errors were looked
at, never tuned on; its errors are listed only with --show-heldout. Figures are printed per
split, per language and per round, and overall.

    .venv/bin/python bench/guard.py [--show-heldout]
"""

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# bench/ holds email.py, which would shadow the standard library's `email` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")

import django  # noqa: E402

django.setup()

from unlockdesk.safety.guard import check  # noqa: E402

CORPUS = ROOT / "tests" / "safety" / "data" / "guard_corpus.jsonl"


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    wrong_reason: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, row: dict[str, object], code: str | None) -> None:
        blocked = bool(row["blocked"])
        if blocked and code:
            self.tp += 1
            if code != row["reason"]:
                self.wrong_reason += 1
                self.errors.append(f"reason {code} (labelled {row['reason']}): {row['text']}")
        elif blocked:
            self.fn += 1
            self.errors.append(f"missed ({row['reason']}): {row['text']}")
        elif code:
            self.fp += 1
            self.errors.append(f"false alarm ({code}): {row['text']}")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, name: str) -> str:
        return (f"{name:<14} texts={self.tp + self.fp + self.fn + self.tn:<4} precision={self.precision:.3f} "
                f"recall={self.recall:.3f} tp={self.tp} fp={self.fp} fn={self.fn} tn={self.tn} "
                f"wrong_reason={self.wrong_reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show-heldout", action="store_true", help="also list the held-out split's errors")
    args = parser.parse_args()
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    tallies: dict[str, Tally] = {}
    started = time.perf_counter()
    for row in rows:
        violation = check(row["text"])
        code = violation.code if violation else None
        for key in ("all", row["split"], f"{row['split']}/{row['lang']}", f"round {row['round']}"):
            tallies.setdefault(key, Tally()).add(row, code)
    elapsed = time.perf_counter() - started
    for key in sorted(tallies):
        print(tallies[key].line(key))
    for split in ("tune", "heldout"):
        if split == "heldout" and not args.show_heldout:
            continue
        for error in tallies.get(split, Tally()).errors:
            print(f"  [{split}] {error}")
    every, tune, held = tallies["all"], tallies.get("tune", Tally()), tallies.get("heldout", Tally())
    print(f"{len(rows)} drafts judged in {elapsed * 1000:.0f} ms")
    print(f"BENCH guard texts={len(rows)} precision={every.precision:.3f} recall={every.recall:.3f} "
          f"tune_precision={tune.precision:.3f} tune_recall={tune.recall:.3f} "
          f"heldout_precision={held.precision:.3f} heldout_recall={held.recall:.3f}")


if __name__ == "__main__":
    main()
