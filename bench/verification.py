"""The handheld-photo checks measured on a generated, labelled set (issue 7).

Builds (or reuses) the set of bench/verification_data/generate.py under var/bench/verification/,
runs on every picture what `verification.checks` runs on a handheld photo (decode, quality
metrics, RapidOCR, face detection, fingerprint) and judges it with the checks' own functions
(`judge_note`, `judge_face`, `judge_card`, `quality.judge`, `reuse.near`). Prints per-check
precision and recall, the misses, and CPU seconds per image on one core (the process is pinned
to one core and every library runs one thread; CPU time, not wall time, because the machine is
shared). Tesseract (Debian's tesseract-ocr-chi-sim, `make bench-deps`) reads a stratified
sample of the same pictures and is judged by the same `judge_note`, side by side.

    .venv/bin/python bench/verification.py [--scale F] [--tesseract-sample N] [--seed N]

Face presence (`face_present`, positive = no face in the picture, judged on pictures neither
blurred nor screenshots): `face_precision` / `face_recall` on the BENCH line. Before weak HOG
candidates were confirmed by the CNN detector (and the CNN run where HOG found nothing), it
scored precision 0.552 recall 1.000 on the default set (13 pictures with a soft LFW face
called faceless).

Note accuracy: on pictures whose note is right (not blurred, not a screenshot), the share where
the phrase and the date were both accepted. False accept: on the wrong-brand and wrong-date
notes, the share where the wrong item (phrase, resp. date) was accepted.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_THREAD_LIMIT"):
    os.environ[_var] = "1"
ROOT = Path(__file__).resolve().parents[1]
# bench/ holds email.py, which would shadow the standard library's `email` package: bench/ goes
# last on the path, only for verification_data.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "src"))
sys.path.append(str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unlockdesk.settings")

import cv2  # noqa: E402
import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from unlockdesk.verification.checks import quality as quality_check  # noqa: E402
from unlockdesk.verification.checks.analysis import Analysis  # noqa: E402
from unlockdesk.verification.checks.handheld import (  # noqa: E402
    brand_words,
    grace_days,
    judge_card,
    judge_face,
    judge_note,
)
from unlockdesk.verification.checks.reuse import near  # noqa: E402
from unlockdesk.verification.imaging import faces as face_models  # noqa: E402
from unlockdesk.verification.imaging import ocr  # noqa: E402
from unlockdesk.verification.imaging.hashes import difference_hash  # noqa: E402
from unlockdesk.verification.imaging.ocr import OcrLine  # noqa: E402
from unlockdesk.verification.types import NoteExpectation, Result, Status  # noqa: E402
from verification_data.generate import Sample, Settings, ensure  # noqa: E402

PHRASE_FAILS = {"phrase_missing", "no_text"}
DATE_FAILS = {"date_wrong", "date_missing", "no_text"}
TICKET_FAILS = {"ticket_missing", "no_text"}


@dataclass
class Outcome:
    """What the checks said about one picture."""

    sample: Sample
    note: list[Result]
    face: Result | None
    card: Result
    quality: list[Result]
    reused: bool
    cpu: float
    wall: float
    texts: list[str] = field(default_factory=list)

    def note_reasons(self) -> set[str]:
        return {r.reason_code for r in self.note if r.status == Status.FAIL}

    def quality_reasons(self) -> set[str]:
        return {r.reason_code for r in self.quality if r.status in (Status.FAIL, Status.WARN)}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, truth: bool, flagged: bool, label: str) -> None:
        if truth and flagged:
            self.tp += 1
        elif truth:
            self.fn += 1
            self.misses.append(f"missed {label}")
        elif flagged:
            self.fp += 1
            self.misses.append(f"false alarm {label}")
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, name: str) -> str:
        precision, recall = self.precision, self.recall
        return (
            f"{name:<28} precision={precision:.3f} recall={recall:.3f} "
            f"tp={self.tp} fp={self.fp} fn={self.fn} tn={self.tn}"
        )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def expectation(sample: Sample, config: Settings) -> NoteExpectation:
    return NoteExpectation(phrase=config.phrase, date=config.today, ticket_number=sample.ticket)


def judge_lines(lines: list[OcrLine], sample: Sample, config: Settings) -> list[Result]:
    return judge_note(lines, expectation(sample, config), grace=grace_days(), protected=brand_words())


def run_rapidocr(folder: Path, samples: list[Sample], config: Settings) -> list[Outcome]:
    """Every picture through the checks' own analysis, one at a time, timed."""
    outcomes: list[Outcome] = []
    seen: list[str] = []
    for sample in samples:
        data = (folder / sample.file).read_bytes()
        cpu, wall = time.process_time(), time.perf_counter()
        analysis = Analysis(data)  # not analyse(): its cache would hide the work for re-sent copies
        metrics = analysis.quality
        lines = analysis.lines
        try:
            faces: list[face_models.Face] | None = analysis.person_faces
        except face_models.FaceModelUnavailable:
            faces = None
        fingerprint = difference_hash(analysis.image.original)
        reused = any(near(fingerprint, earlier) for earlier in seen)
        seen.append(fingerprint)
        note = judge_lines(lines, sample, config)
        face = judge_face(faces)
        card = judge_card(lines, sample.id_number)
        verdicts = quality_check.judge(metrics, kind="handheld")
        outcomes.append(
            Outcome(
                sample,
                note,
                face,
                card,
                verdicts,
                reused,
                time.process_time() - cpu,
                time.perf_counter() - wall,
                [line.text for line in lines],
            )
        )
        if len(outcomes) % 50 == 0:
            print(f"  {len(outcomes)}/{len(samples)} read", file=sys.stderr, flush=True)
    return outcomes


def tesseract_sample(samples: list[Sample], size: int) -> list[Sample]:
    """Half right notes, a quarter wrong brand, a quarter wrong date, spread over the set."""
    if size <= 0:
        return []
    groups = {
        "right": [s for s in samples if s.note_ok and s.category != "reused"],
        "wrong_brand": [s for s in samples if s.category == "wrong_brand"],
        "wrong_date": [s for s in samples if s.category == "wrong_date"],
    }
    shares = {"right": size - 2 * (size // 4), "wrong_brand": size // 4, "wrong_date": size // 4}
    chosen: list[Sample] = []
    for name, group in groups.items():
        want = min(shares[name], len(group))
        step = len(group) / want if want else 1
        chosen.extend(group[int(i * step)] for i in range(want))
    return chosen


def run_tesseract(
    folder: Path, samples: list[Sample], config: Settings
) -> dict[str, tuple[list[Result], float]]:
    """The same working copy RapidOCR reads, read by tesseract (CPU time of the child process)."""
    engine = ocr.TesseractOcr()
    out: dict[str, tuple[list[Result], float]] = {}
    for sample in samples:
        analysis = Analysis((folder / sample.file).read_bytes())
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        read = engine.read(analysis.image.bgr)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        lines = [OcrLine(line.text, analysis.image.to_original(*line.box), line.score) for line in read]
        out[sample.file] = (judge_lines(lines, sample, config), cpu)
    return out


def note_figures(
    results: dict[str, list[Result]], samples: list[Sample]
) -> tuple[float, float, float, int, int]:
    """note accuracy (phrase+date), full-note pass rate, false accept, and the two denominators."""
    right = [s for s in samples if s.note_ok]
    accepted = 0
    full = 0
    for s in right:
        reasons = {r.reason_code for r in results[s.file] if r.status == Status.FAIL}
        accepted += not (reasons & (PHRASE_FAILS | DATE_FAILS))
        full += not reasons
    wrong = [s for s in samples if s.category in ("wrong_brand", "wrong_date")]
    false_accepts = 0
    for s in wrong:
        reasons = {r.reason_code for r in results[s.file] if r.status == Status.FAIL}
        fails = PHRASE_FAILS if s.category == "wrong_brand" else DATE_FAILS
        false_accepts += not (reasons & fails)
    n_right, n_wrong = len(right), len(wrong)
    return (
        accepted / n_right if n_right else 0.0,
        full / n_right if n_right else 0.0,
        false_accepts / n_wrong if n_wrong else 0.0,
        n_right,
        n_wrong,
    )


def tallies(outcomes: list[Outcome]) -> dict[str, Tally]:
    t = {
        name: Tally()
        for name in (
            "handheld_note (any item)",
            "note: phrase (wrong brand)",
            "note: date (wrong date)",
            "note: ticket (missing)",
            "face_present (no face)",
            "handheld_id_card (wrong number)",
            "image_quality: blurry",
            "image_quality: screenshot",
            "reused_evidence",
        )
    }
    for o in outcomes:
        s = o.sample
        label = f"{s.file} [{s.font}, {s.date_format}]"
        reasons = o.note_reasons()
        if s.note_ok is not None:
            t["handheld_note (any item)"].add(not s.note_ok, bool(reasons), label)
            t["note: phrase (wrong brand)"].add(not s.phrase_ok, bool(reasons & PHRASE_FAILS), label)
            t["note: date (wrong date)"].add(not s.date_ok, bool(reasons & DATE_FAILS), label)
            t["note: ticket (missing)"].add(not s.ticket_ok, bool(reasons & TICKET_FAILS), label)
            card_flagged = o.card.status == Status.FAIL
            t["handheld_id_card (wrong number)"].add(
                not s.card_ok, card_flagged, f"{label} {o.card.reason_code}"
            )
        if o.face is not None and o.face.status != Status.NOT_AVAILABLE and not (s.blurred or s.screenshot):
            flagged = o.face.status == Status.FAIL
            t["face_present (no face)"].add(not s.face, flagged, f"{s.file} {s.identity}")
        q = o.quality_reasons()
        t["image_quality: blurry"].add(s.blurred, "blurry" in q, f"{s.file} {sorted(q)}")
        t["image_quality: screenshot"].add(
            s.screenshot, bool(q & {"screenshot", "photo_of_screen"}), f"{s.file} {sorted(q)}"
        )
        t["reused_evidence"].add(s.category == "reused", o.reused, s.file)
    return t


def tesseract_version() -> str:
    done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    return (done.stdout or done.stderr).splitlines()[0] if done.returncode == 0 else "missing"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every category's count (default 1)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--tesseract-sample",
        type=int,
        default=40,
        help="pictures Tesseract reads (stratified; -1: all judged pictures)",
    )
    parser.add_argument("--show-misses", type=int, default=12)
    args = parser.parse_args()

    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    cv2.setNumThreads(1)
    print(f"load average at start: {load_average()} (2 shared cores); pinned to core {core}")
    brand = settings.BRAND
    config = Settings(
        phrase=brand.note_phrase,
        brand_zh=brand.name_zh,
        ticket_prefix=brand.ticket_prefix,
        today=date(2026, 11, 25),
        seed=args.seed,
        scale=args.scale,
    )
    started = time.perf_counter()
    folder, samples = ensure(config)
    print(
        f"set: {len(samples)} images in {folder.relative_to(ROOT)} ({time.perf_counter() - started:.0f} s); "
        f"phrase {config.phrase!r}, today {config.today}, grace {grace_days()} day(s)"
    )
    print("categories: " + ", ".join(f"{k}={v}" for k, v in Counter(s.category for s in samples).items()))
    print("fonts: " + ", ".join(f"{k}={v}" for k, v in Counter(s.font for s in samples if s.font).items()))

    warm = time.perf_counter()
    ocr.default_engine()
    try:
        face_models.models()
    except face_models.FaceModelUnavailable as exc:
        print(f"face model not available: {exc}")
    print(f"engines loaded in {time.perf_counter() - warm:.1f} s (once per process, not counted)")

    outcomes = run_rapidocr(folder, samples, config)
    rapid = {o.sample.file: o.note for o in outcomes}
    cpu = sum(o.cpu for o in outcomes) / len(outcomes)
    wall = sum(o.wall for o in outcomes) / len(outcomes)
    slowest = max(o.cpu for o in outcomes)

    print("\nper check (positive = the problem is there; flagged = the check fails or warns for it)")
    checks = tallies(outcomes)
    for name, tally in checks.items():
        print("  " + tally.line(name))
        for miss in tally.misses[: args.show_misses]:
            print(f"      {miss}")
    card_reasons = Counter(o.card.reason_code for o in outcomes if o.sample.card_ok)
    print("  handheld_id_card on right cards: " + ", ".join(f"{k}={v}" for k, v in card_reasons.items()))
    genuine = [o for o in outcomes if o.sample.category == "genuine"]
    rejected = [
        o
        for o in genuine
        if o.note_reasons()
        or o.card.status == Status.FAIL
        or (o.face is not None and o.face.status == Status.FAIL)
        or any(r.status == Status.FAIL for r in o.quality)
    ]
    print(
        f"  genuine pictures with any FAIL (needless redo): {len(rejected)}/{len(genuine)}"
    )

    accuracy, full, false_accept, n_right, n_wrong = note_figures(rapid, samples)
    by_font: dict[str, list[int]] = {}
    for s in samples:
        if s.note_ok:
            ok = not (
                {r.reason_code for r in rapid[s.file] if r.status == Status.FAIL}
                & (PHRASE_FAILS | DATE_FAILS)
            )
            by_font.setdefault(s.font, [0, 0])[0] += ok
            by_font[s.font][1] += 1
    print(
        "\nnote phrase+date accuracy by font: " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in by_font.items())
    )
    print("notes not accepted (phrase+date) / wrong notes accepted, with what RapidOCR read:")
    for o in outcomes:
        s = o.sample
        reasons = o.note_reasons()
        bad = (
            (s.note_ok and reasons & (PHRASE_FAILS | DATE_FAILS))
            or (s.category == "wrong_brand" and not reasons & PHRASE_FAILS)
            or (s.category == "wrong_date" and not reasons & DATE_FAILS)
        )
        if bad:
            print(
                f"  {s.file} [{s.font}] wrote {s.note_lines} -> {sorted(reasons) or 'pass'}; read {o.texts}"
            )

    chosen = tesseract_sample(samples, len(samples) if args.tesseract_sample < 0 else args.tesseract_sample)
    print(f"\nside by side on {len(chosen)} pictures ({tesseract_version()}, chi_sim+eng, --psm 11):")
    tess = run_tesseract(folder, chosen, config) if chosen else {}
    t_accuracy = 0.0
    if chosen:
        subset_rapid = {s.file: rapid[s.file] for s in chosen}
        r = note_figures(subset_rapid, chosen)
        t = note_figures({k: v[0] for k, v in tess.items()}, chosen)
        t_accuracy = t[0]
        r_cpu = sum(o.cpu for o in outcomes if o.sample.file in subset_rapid) / len(chosen)
        t_cpu = sum(v[1] for v in tess.values()) / len(chosen)
        print(
            f"  {'engine':<10} {'note_accuracy':>14} {'full_note':>10} {'false_accept':>13} {'cpu_s/img':>10}"
        )
        print(f"  {'rapidocr':<10} {r[0]:>14.3f} {r[1]:>10.3f} {r[2]:>13.3f} {r_cpu:>10.2f}  (all checks)")
        print(f"  {'tesseract':<10} {t[0]:>14.3f} {t[1]:>10.3f} {t[2]:>13.3f} {t_cpu:>10.2f}  (OCR only)")
        print(f"  ({t[3]} right notes, {t[4]} wrong-brand/wrong-date notes)")

    print(
        f"\nall {len(samples)} pictures, RapidOCR: note_accuracy={accuracy:.3f} on {n_right} right notes "
        f"(full note incl. ticket {full:.3f}); false_accept={false_accept:.3f} on {n_wrong} wrong notes"
    )
    print(
        f"cpu seconds per image (one core, all checks): mean {cpu:.2f}, slowest {slowest:.2f}; "
        f"wall mean {wall:.2f}"
    )
    print(f"load average at end: {load_average()}; total {time.perf_counter() - started:.0f} s")
    face = checks["face_present (no face)"]
    print(
        f"BENCH verification images={len(samples)} note_accuracy={accuracy:.3f} "
        f"false_accept={false_accept:.3f} "
        f"s_per_image={cpu:.2f} tesseract_note_accuracy={t_accuracy:.3f} "
        f"face_precision={face.precision:.3f} face_recall={face.recall:.3f}"
    )


if __name__ == "__main__":
    main()
