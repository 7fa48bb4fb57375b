"""The labelled set of handheld photos for bench/verification.py, generated from one seed.

Each picture is a person (a face photo that ships in scikit-image or matplotlib) holding a
resident-ID-card-like card and a paper note that says the brand phrase, a date and a ticket
number, in one of several fonts (print, kaiti and handwriting-like), sizes, angles, light and
JPEG qualities. Categories and what the checks should say about them:

    genuine          everything right
    wrong_brand      the note names another exchange (欧意, 币安, Binance, ...)
    wrong_date       the note's date is 2 days to a year off today (beyond the one-day grace)
    missing_ticket   the note has no ticket number, or another ticket's number
    wrong_card       the card in the photo carries another person's ID number
    no_face          no person in the picture (a cat, a cup, a wall instead)
    blurred          out of focus or shaken
    screenshot       a screenshot of the photo in a phone's gallery (PNG or JPEG, no camera EXIF)
    reused           an earlier genuine photo cropped, resized and re-saved

    .venv/bin/python bench/verification_data/generate.py [--out DIR] [--seed N] [--scale F]

The set is written to var/bench/verification/<key>/ (images plus labels.json); the key covers
the seed, the counts, the phrase and the generator's version, so a finished set is reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.append(str(Path(__file__).resolve().parents[1]))

from PIL import Image
from stdnum.cn import ric

from verification_data import render, sources

VERSION = 2
ROOT = Path(__file__).resolve().parents[2]
COUNTS = {
    "genuine": 150,
    "wrong_brand": 40,
    "wrong_date": 40,
    "missing_ticket": 20,
    "wrong_card": 12,
    "no_face": 16,
    "blurred": 16,
    "screenshot": 12,
    "reused": 16,
}
DATE_FORMATS = (
    "{y}-{m:02d}-{d:02d}",
    "{y}/{m:02d}/{d:02d}",
    "{y}年{m}月{d}日",
    "{y}{m:02d}{d:02d}",
    "{y}.{m:02d}.{d:02d}",
)
WRONG_DAYS = (-365, -30, -10, -7, -3, -2, 2, 3, 10)
RIVALS = ("币安", "火币", "抹茶", "库币", "芝麻", "欧意", "欧亿", "Binance", "Bybit")
TICKET_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REGIONS = (
    "110101",
    "110105",
    "310101",
    "310115",
    "440106",
    "440305",
    "320102",
    "330106",
    "510104",
    "420102",
    "500103",
    "610113",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


@dataclass
class Sample:
    """One picture and what is true about it."""

    file: str
    category: str
    identity: str  # the person's face source, "" when there is none
    font: str
    handwriting: bool
    date_format: str
    note_lines: list[str]
    ticket: str  # the application's ticket number
    id_number: str  # the applicant's ID number
    note_ok: bool | None  # phrase, date and ticket all right; None: not judged (blurred, screenshot)
    phrase_ok: bool | None
    date_ok: bool | None
    ticket_ok: bool | None
    face: bool
    card_ok: bool | None
    blurred: bool = False
    screenshot: bool = False
    reused_of: str = ""
    jpeg_quality: int = 0
    size: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Settings:
    phrase: str
    brand_zh: str
    ticket_prefix: str
    today: date
    seed: int = 7
    scale: float = 1.0

    def counts(self) -> dict[str, int]:
        return {k: max(1, round(v * self.scale)) for k, v in COUNTS.items()}

    def key(self) -> str:
        text = json.dumps(
            [
                VERSION,
                self.phrase,
                self.brand_zh,
                self.ticket_prefix,
                self.today.isoformat(),
                self.seed,
                self.counts(),
                [f.name for f in sources.note_fonts()],
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:12]


def id_number(rng: random.Random) -> str:
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 16000))
    body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randint(10, 999):03d}"
    return body + ric.calc_check_digit(body)


def written_date(day: date, fmt: str) -> str:
    return fmt.format(y=day.year, m=day.month, d=day.day)


def ticket_number(rng: random.Random, prefix: str) -> str:
    return f"{prefix}-" + "".join(rng.choice(TICKET_ALPHABET) for _ in range(6))


def note_lines(rng: random.Random, phrase: str, day: str, ticket: str) -> list[str]:
    """The note as a customer writes it: the phrase first, then date and ticket in some order."""
    if ticket:
        ticket = rng.choice((ticket, f"工单号：{ticket}", f"工单 {ticket}", f"Ticket {ticket}"))
    rest = [x for x in (day, ticket) if x]
    if len(rest) == 2 and rng.random() < 0.2:
        rest = [f"{day}  {ticket}"]
    elif rng.random() < 0.3:
        rest.reverse()
    return [phrase, *rest]


def _scene(
    rng: random.Random,
    config: Settings,
    sample: Sample,
    *,
    name: str,
    card_number: str,
    phrase: str,
    day: date,
    with_face: bool,
) -> Image.Image:
    landscape = rng.random() < 0.6
    size = (1600, 1200) if landscape else (1200, 1600)
    w, h = size
    canvas = render.wall(rng, size)
    portraits = sources.portraits()
    portrait = (
        portraits[0] if rng.random() < 0.3 else portraits[1] if rng.random() < 0.4 else rng.choice(portraits)
    )
    face_width = round(min(w, h) * rng.uniform(0.16, 0.24))
    if with_face:
        render.person(
            rng,
            canvas,
            portrait,
            face_width,
            round(w * rng.uniform(0.4, 0.6)),
            round(h * rng.uniform(0.03, 0.1)),
        )
        sample.identity = portrait.identity
    else:
        stand_in = rng.choice([*sources.non_faces(), None])
        if stand_in is not None:
            render.place(
                canvas,
                stand_in,
                (round(w * 0.5), round(h * 0.25)),
                round(w * rng.uniform(0.25, 0.4)),
                rng.uniform(-5, 5),
                rng,
            )
    card = render.id_card(rng, name, card_number, render.portrait_crop(portrait))
    low = h * (0.72 if landscape else 0.62)
    render.place(
        canvas,
        card,
        (round(w * rng.uniform(0.24, 0.28)), round(low + rng.uniform(-0.04, 0.04) * h)),
        round(w * rng.uniform(0.38, 0.44)),
        rng.uniform(-8, 8),
        rng,
    )
    fmt = rng.choice(DATE_FORMATS)
    written = written_date(day, fmt)
    lines = note_lines(rng, phrase, written, sample.ticket if sample.ticket_ok is not False else "")
    if sample.category == "missing_ticket" and rng.random() < 0.35:  # another ticket's number
        lines = note_lines(rng, phrase, written, ticket_number(rng, config.ticket_prefix))
    font = rng.choice([f for f in sources.note_fonts() if f.can_write("".join(lines))])
    sheet = render.note(
        rng, lines, font, round(min(w, h) * rng.uniform(0.035, 0.05)), thumb=rng.random() < 0.7
    )
    note_y = h * (0.74 if landscape else 0.84)
    render.place(
        canvas,
        sheet,
        (round(w * rng.uniform(0.7, 0.76)), round(note_y + rng.uniform(-0.04, 0.03) * h)),
        round(w * rng.uniform(0.4, 0.46)),
        rng.uniform(-12, 12),
        rng,
    )
    sample.font, sample.handwriting, sample.date_format = font.name, font.handwriting, fmt
    sample.note_lines = lines
    sample.size = [w, h]
    return render.light(rng, canvas)


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def build(config: Settings, out: Path) -> list[Sample]:
    """Write every picture and labels.json into `out`; deterministic for a given config."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(config.seed)
    counts = config.counts()
    order = [c for c in counts if c != "reused" for _ in range(counts[c])]
    rng.shuffle(order)
    samples: list[Sample] = []
    genuine: list[tuple[Sample, bytes]] = []
    stamp = f"{config.today:%Y:%m:%d} 10:{rng.randint(0, 59):02d}:00"
    for index, category in enumerate(order):
        local = random.Random(rng.getrandbits(64))
        applicant = id_number(local)
        ticket = ticket_number(local, config.ticket_prefix)
        judged = category not in ("blurred", "screenshot")
        sample = Sample(
            file=f"{index:04d}-{category}.jpg",
            category=category,
            identity="",
            font="",
            handwriting=False,
            date_format="",
            note_lines=[],
            ticket=ticket,
            id_number=applicant,
            note_ok=category not in ("wrong_brand", "wrong_date", "missing_ticket") if judged else None,
            phrase_ok=category != "wrong_brand" if judged else None,
            date_ok=category != "wrong_date" if judged else None,
            ticket_ok=category != "missing_ticket" if judged else None,
            face=category != "no_face",
            card_ok=category != "wrong_card" if judged else None,
            blurred=category == "blurred",
            screenshot=category == "screenshot",
        )
        phrase = config.phrase
        if category == "wrong_brand":
            phrase = config.phrase.replace(config.brand_zh, local.choice(RIVALS))
        day = config.today
        if category == "wrong_date":
            day = config.today + timedelta(days=local.choice(WRONG_DAYS))
        card_number = id_number(local) if category == "wrong_card" else applicant
        scene = _scene(
            local,
            config,
            sample,
            name=_person_name(local),
            card_number=card_number,
            phrase=phrase,
            day=day,
            with_face=category != "no_face",
        )
        if category == "blurred":
            scene = render.blur(local, scene)
        if category == "screenshot":
            shot = render.screenshot(local, scene)
            if local.random() < 0.6:
                sample.file = sample.file.replace(".jpg", ".png")
                shot.save(out / sample.file, "PNG")
            else:
                sample.jpeg_quality = local.randint(85, 95)
                (out / sample.file).write_bytes(render.jpeg(shot, quality=sample.jpeg_quality))
            sample.size = [shot.width, shot.height]
            samples.append(sample)
            continue
        sample.jpeg_quality = local.randint(55, 95)
        data = render.camera(local, scene, quality=sample.jpeg_quality, stamp=stamp)
        (out / sample.file).write_bytes(data)
        samples.append(sample)
        if category == "genuine":
            genuine.append((sample, data))
    # Reused photos come after the photos they copy, as in real life.
    for index in range(counts["reused"]):
        source, data = genuine[rng.randrange(len(genuine))]
        copy = Sample(
            **{
                **asdict(source),
                "file": f"{len(samples):04d}-reused.jpg",
                "category": "reused",
                "reused_of": source.file,
            }
        )
        (out / copy.file).write_bytes(render.reuse(random.Random(rng.getrandbits(64) + index), data))
        samples.append(copy)
    (out / "labels.json").write_text(
        json.dumps([asdict(s) for s in samples], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return samples


def ensure(config: Settings, base: Path | None = None) -> tuple[Path, list[Sample]]:
    """The set for `config`, generated into var/bench/verification/<key>/ unless already there."""
    out = (base or ROOT / "var" / "bench" / "verification") / config.key()
    labels = out / "labels.json"
    if labels.is_file():
        return out, [Sample(**item) for item in json.loads(labels.read_text(encoding="utf-8"))]
    partial = out.with_name(out.name + ".partial")
    samples = build(config, partial)
    partial.rename(out)
    return out, samples


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, help="base folder (default var/bench/verification)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every category's count")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 25))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from unlockdesk.brand import brand

    b = brand()
    config = Settings(
        phrase=b.note_phrase,
        brand_zh=b.name_zh,
        ticket_prefix=b.ticket_prefix,
        today=args.today,
        seed=args.seed,
        scale=args.scale,
    )
    out, samples = ensure(config, args.out)
    print(f"{len(samples)} images in {out}")


if __name__ == "__main__":
    main()
