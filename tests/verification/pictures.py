"""Pictures for the verification tests: handheld photos, ID card fronts and backs, and the
failures each check must catch. Drawn with Pillow in Noto CJK (fonts-noto-cjk, installed by
`make system-deps`); the faces are photos that ship inside installed packages (scikit-image's
astronaut, matplotlib's Grace Hopper), so nothing is downloaded.

`python -m tests.verification.pictures` rewrites tests/verification/fixtures/ (deterministic:
fixed seeds). The flow test also calls `handheld()` directly, to put the ticket number the
test's application really got on the note.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FIXTURES = Path(__file__).parent / "fixtures"
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SC = 2  # index of Simplified Chinese in the Noto CJK collections

PHRASE = "仅用于欧易账户解锁"
TODAY = "2026-11-25"
TICKET = "UD-7K3F9X"
NAME = "张伟"
ID_NUMBER = "11010519491231002X"  # tests.factories.VALID_ID_NUMBERS[0]
OTHER_ID_NUMBER = "110101199003074477"
CAPTURED = datetime(2026, 11, 25, 10, 30)

MAKE, MODEL, SOFTWARE, DATETIME = 0x010F, 0x0110, 0x0131, 0x0132
EXIF_IFD, DATETIME_ORIGINAL = 0x8769, 0x9003


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSansCJK-Bold.ttc" if bold else "NotoSansCJK-Regular.ttc"
    return ImageFont.truetype(str(FONT_DIR / name), size, index=SC)


@cache
def _astronaut() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut())


@cache
def _grace_hopper() -> Image.Image:
    import matplotlib.cbook as cbook

    with cbook.get_sample_data("grace_hopper.jpg") as handle:
        return Image.open(handle).convert("RGB")


@cache
def _cat() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.chelsea())


def face(who: str) -> Image.Image:
    """A head-and-shoulders crop of `who`: astronaut, hopper or cat (no human face)."""
    if who == "astronaut":
        return _astronaut().crop((110, 20, 340, 300))
    if who == "hopper":
        return _grace_hopper().crop((90, 40, 450, 480))
    if who == "cat":
        return _cat().crop((60, 0, 340, 300))
    raise ValueError(who)


def _paper(size: tuple[int, int], lines: list[str], *, text_size: int, color: tuple[int, int, int],
           ink: tuple[int, int, int] = (25, 30, 70)) -> Image.Image:
    paper = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(paper)
    y = max(8, (size[1] - len(lines) * int(text_size * 1.5)) // 2)
    for line in lines:
        draw.text((24, y), line, fill=ink, font=font(text_size))
        y += int(text_size * 1.5)
    return paper


@dataclass(frozen=True)
class Note:
    phrase: str = PHRASE
    date: str = TODAY
    ticket: str = TICKET

    def lines(self) -> list[str]:
        return [line for line in (self.phrase, self.date, self.ticket) if line]


def small_card(id_number: str, name: str = NAME, *, portrait: str = "") -> Image.Image:
    """The ID card front as held in the hand: smaller, the number still readable; with
    `portrait`, that person's photo printed on its right."""
    low = 100 if portrait else 0  # the number goes below the portrait
    card = Image.new("RGB", (380 + low // 2 + 10 * bool(portrait), 170 + low), (214, 228, 238))
    draw = ImageDraw.Draw(card)
    draw.text((16, 12), "姓名", fill=(90, 100, 120), font=font(18))
    draw.text((70, 8), name, fill=(20, 20, 20), font=font(24))
    draw.text((16, 70 + low), "公民身份号码", fill=(90, 100, 120), font=font(18))
    draw.text((16, 104 + low), id_number, fill=(20, 20, 20), font=font(28, bold=True))
    if portrait:
        card.paste(face(portrait).resize((160, 194)), (270, 8))
    return card


def handheld(note: Note = Note(), *, who: str = "astronaut", id_number: str = ID_NUMBER,
             card: bool = True, card_portrait: str = "") -> Image.Image:
    """A person beside a paper note and their ID card, 800x600 like a phone photo scaled down
    (`who="cat"`: no person; `card_portrait`: the card shows that person's photo)."""
    image = Image.new("RGB", (800, 600), (128, 122, 116))
    person = face(who)
    person = person.resize((340, round(340 * person.height / person.width)))
    image.paste(person, (20, 60))
    image.paste(_paper((400, 220), note.lines(), text_size=38, color=(246, 244, 236)), (380, 40))
    if card:
        where = (350, 325) if card_portrait else (390, 390)
        image.paste(small_card(id_number, portrait=card_portrait), where)
    return image


def soft_person(who: str, *, source_width: int) -> Image.Image:
    """A person photographed so poorly that the face is only `source_width` pixels wide at the
    source, blown up to 300 (like an old phone's photo, or the labelled set's LFW faces)."""
    image = Image.new("RGB", (800, 600), (128, 122, 116))
    person = face(who)
    small = person.resize((source_width, round(source_width * person.height / person.width)),
                          Image.Resampling.BILINEAR)
    image.paste(small.resize((300, round(300 * person.height / person.width)), Image.Resampling.BICUBIC),
                (40, 60))
    return image


def id_front(*, name: str = NAME, id_number: str = ID_NUMBER, who: str = "astronaut") -> Image.Image:
    """The front of a resident ID card on a table (labels, values, portrait)."""
    image = Image.new("RGB", (800, 600), (96, 84, 70))
    card = Image.new("RGB", (720, 454), (222, 232, 240))
    draw = ImageDraw.Draw(card)
    label, value = (90, 100, 120), (20, 20, 20)
    draw.text((40, 40), "姓名", fill=label, font=font(22))
    draw.text((110, 34), name, fill=value, font=font(30))
    draw.text((40, 100), "性别", fill=label, font=font(22))
    draw.text((110, 96), "男", fill=value, font=font(26))
    draw.text((190, 100), "民族", fill=label, font=font(22))
    draw.text((260, 96), "汉", fill=value, font=font(26))
    draw.text((40, 160), "出生", fill=label, font=font(22))
    draw.text((110, 156), "1949年12月31日", fill=value, font=font(26))
    draw.text((40, 220), "住址", fill=label, font=font(22))
    draw.text((110, 216), "北京市朝阳区建国路88号", fill=value, font=font(26))
    draw.text((40, 360), "公民身份号码", fill=label, font=font(22))
    draw.text((200, 352), id_number, fill=value, font=font(34, bold=True))
    portrait = face(who).resize((200, 244))
    card.paste(portrait, (490, 40))
    image.paste(card, (40, 73))
    return image


def id_back(validity: str) -> Image.Image:
    """The back of a resident ID card: issuing authority and validity period."""
    image = Image.new("RGB", (800, 600), (96, 84, 70))
    card = Image.new("RGB", (720, 454), (226, 234, 236))
    draw = ImageDraw.Draw(card)
    draw.text((190, 60), "中华人民共和国", fill=(150, 40, 40), font=font(40, bold=True))
    draw.text((250, 130), "居民身份证", fill=(150, 40, 40), font=font(40, bold=True))
    draw.text((60, 300), "签发机关", fill=(90, 100, 120), font=font(22))
    draw.text((180, 294), "北京市公安局朝阳分局", fill=(20, 20, 20), font=font(26))
    draw.text((60, 360), "有效期限", fill=(90, 100, 120), font=font(22))
    draw.text((180, 354), validity, fill=(20, 20, 20), font=font(26))
    image.paste(card, (40, 73))
    return image


def camera_exif(*, captured: datetime = CAPTURED, software: str = "") -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "Huawei", "P60"
    exif[DATETIME] = captured.strftime("%Y:%m:%d %H:%M:%S")
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = captured.strftime("%Y:%m:%d %H:%M:%S")
    if software:
        exif[SOFTWARE] = software
    return exif


def photographed(image: Image.Image, *, seed: int = 1, noise: float = 3.0) -> Image.Image:
    """Sensor noise and a slight softening: what a camera adds to a flat drawing."""
    pixels = np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.float32)
    grain = np.random.default_rng(seed).normal(0.0, noise, pixels.shape)
    return Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8))


def jpeg(image: Image.Image, *, exif: Image.Exif | None = None, quality: int = 82) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=exif if exif is not None else Image.Exif())
    return out.getvalue()


def png(image: Image.Image) -> bytes:
    """A screenshot as a PNG; 64 colours keep the fixture small (rendered areas stay uniform)."""
    out = io.BytesIO()
    image.quantize(64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def photo(image: Image.Image, *, seed: int = 1, software: str = "",
          captured: datetime = CAPTURED) -> bytes:
    """A phone photo of `image`: grain, JPEG and camera EXIF."""
    return jpeg(photographed(image, seed=seed), exif=camera_exif(captured=captured, software=software))


def moire(image: Image.Image) -> Image.Image:
    """A screen photographed: the pixel grid beats with the sensor into a fine periodic pattern."""
    pixels = np.asarray(image, dtype=np.float32)
    yy, xx = np.mgrid[0:pixels.shape[0], 0:pixels.shape[1]]
    pattern = 9.0 * np.sin(2 * np.pi * (xx / 3.1 + yy / 7.3)) + 6.0 * np.sin(2 * np.pi * yy / 2.7)
    return Image.fromarray(np.clip(pixels + pattern[..., None], 0, 255).astype(np.uint8))


def glare(image: Image.Image) -> Image.Image:
    """A lamp reflected on the card: a saturated white patch."""
    lit = image.copy()
    ImageDraw.Draw(lit).ellipse((60, 470, 240, 560), fill=(255, 255, 255))
    return lit


def darkened(image: Image.Image, factor: float = 0.14) -> Image.Image:
    return Image.fromarray((np.asarray(image, dtype=np.float32) * factor).astype(np.uint8))


def washed_out(image: Image.Image, factor: float = 0.12) -> Image.Image:
    """Overexposed: every tone pushed towards white."""
    pixels = np.asarray(image, dtype=np.float32)
    return Image.fromarray((255.0 - (255.0 - pixels) * factor).astype(np.uint8))


def fixtures() -> dict[str, bytes]:
    """Every committed fixture by file name."""
    genuine = handheld()
    return {
        "handheld_genuine.jpg": photo(genuine),
        "handheld_date_cn.jpg": photo(handheld(Note(date="2026年11月25日")), seed=2),
        "handheld_wrong_date.jpg": photo(handheld(Note(date="2026-11-20")), seed=3),
        "handheld_wrong_brand.jpg": photo(handheld(Note(phrase="仅用于币安账户解锁")), seed=4),
        "handheld_no_ticket.jpg": photo(handheld(Note(ticket="")), seed=5),
        "handheld_no_face.jpg": photo(handheld(who="cat"), seed=6),
        "handheld_other_person.jpg": photo(handheld(who="hopper"), seed=7),
        "handheld_other_card.jpg": photo(handheld(id_number=OTHER_ID_NUMBER), seed=8),
        "handheld_no_card.jpg": photo(handheld(card=False), seed=9),
        "handheld_card_portrait.jpg": photo(handheld(card_portrait="astronaut"), seed=17),
        "handheld_card_only.jpg": photo(handheld(who="cat", card_portrait="astronaut"), seed=18),
        "handheld_blurred.jpg": photo(genuine.filter(ImageFilter.GaussianBlur(5)), seed=10),
        "handheld_dark.jpg": photo(darkened(genuine), seed=11),
        "handheld_bright.jpg": photo(washed_out(genuine), seed=16),
        "handheld_glare.jpg": photo(glare(genuine), seed=12),
        "handheld_screen.jpg": photo(moire(genuine), seed=13),
        "handheld_screenshot.png": png(genuine),
        "handheld_small.jpg": photo(genuine.resize((400, 300)), seed=14),
        "handheld_edited.jpg": photo(genuine.resize((400, 300)), seed=15, software="Adobe Photoshop 25.0"),
        "id_front_genuine.jpg": photo(id_front(), seed=20),
        "id_front_other_name.jpg": photo(id_front(name="李娜"), seed=21),
        "id_front_other_number.jpg": photo(id_front(id_number=OTHER_ID_NUMBER), seed=22),
        "id_back_valid.jpg": photo(id_back("2016.03.01-2036.03.01"), seed=23),
        "id_back_expired.jpg": photo(id_back("2006.03.01-2026.03.01"), seed=24),
        "id_back_permanent.jpg": photo(id_back("2016.03.01-长期"), seed=25),
    }


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    for name, data in fixtures().items():
        (FIXTURES / name).write_bytes(data)
        print(f"{name:32} {len(data) / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
