"""Drawing the pieces of a handheld photo: wall, person, ID card, paper note, hand, light, camera.

Everything takes a `random.Random` so one seed gives the same pixels on every machine with
the same fonts and libraries. Sizes are in the pixels of the final photo.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from verification_data.sources import CARD_FONT, CARD_NUMBER_FONT, FontFace, Portrait

INKS = ((20, 24, 30), (25, 35, 110), (40, 40, 45), (15, 50, 120), (60, 30, 30))
SKIN = ((224, 182, 150), (198, 152, 118), (236, 200, 170), (170, 120, 90))
CAMERAS = (
    ("Apple", "iPhone 13"),
    ("HUAWEI", "ELS-AN00"),
    ("Xiaomi", "M2102K1C"),
    ("OPPO", "PEEM00"),
    ("vivo", "V2049A"),
    ("samsung", "SM-G9910"),
)


def wall(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A plain room: a wall colour with a soft gradient and a few out-of-focus shapes (drawn at
    a quarter of the size: it is all blur)."""
    w, h = size[0] // 4, size[1] // 4
    base = np.array([rng.randint(120, 225) for _ in range(3)], dtype=np.float32)
    ramp = np.linspace(rng.uniform(0.8, 1.0), rng.uniform(1.0, 1.15), h, dtype=np.float32)[:, None, None]
    pixels = np.clip(np.ones((h, w, 3), np.float32) * base * ramp, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(2, 5)):
        x0, y0 = rng.randint(-w // 4, w), rng.randint(-h // 4, h)
        colour = tuple(rng.randint(40, 230) for _ in range(3))
        draw.rectangle(
            (x0, y0, x0 + rng.randint(w // 8, w // 2), y0 + rng.randint(h // 8, h // 2)), fill=colour
        )
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(1.5, 3.5))).resize(
        size, Image.Resampling.BILINEAR
    )


def _oval_mask(size: tuple[int, int], feather: float) -> Image.Image:
    mask = Image.new("L", size, 0)
    w, h = size
    ImageDraw.Draw(mask).ellipse((w * 0.06, h * 0.02, w * 0.94, h * 1.1), fill=255)
    return mask.filter(ImageFilter.GaussianBlur(feather))


def person(
    rng: random.Random, canvas: Image.Image, portrait: Portrait, face_width: int, centre_x: int, top: int
) -> tuple[int, int, int, int]:
    """The portrait pasted as the person holding the items, face `face_width` pixels wide;
    returns the face box in canvas pixels."""
    fx, fy, fw, fh = portrait.face
    scale = face_width / fw
    head = portrait.image.resize(
        (max(1, round(portrait.image.width * scale)), max(1, round(portrait.image.height * scale))),
        Image.Resampling.BICUBIC,
    )
    left = round(centre_x - (fx + fw / 2) * scale)
    draw = ImageDraw.Draw(canvas)
    shirt = tuple(rng.randint(20, 200) for _ in range(3))
    body_top = top + head.height - round(head.height * 0.15)
    draw.rectangle(
        (
            centre_x - face_width * 0.25,
            body_top - face_width * 0.3,
            centre_x + face_width * 0.25,
            body_top + face_width * 0.4,
        ),
        fill=rng.choice(SKIN),
    )  # neck
    draw.ellipse(
        (
            centre_x - face_width * 1.7,
            body_top + face_width * 0.2,
            centre_x + face_width * 1.7,
            body_top + face_width * 2.6,
        ),
        fill=shirt,
    )
    canvas.paste(head, (left, top), _oval_mask(head.size, max(2.0, head.width / 30)))
    return (left + round(fx * scale), top + round(fy * scale), round(fw * scale), round(fh * scale))


def id_card(rng: random.Random, name: str, id_number: str, portrait: Image.Image | None) -> Image.Image:
    """The front of a resident ID card, 856x540 (85.6 x 54 mm at 10 px/mm)."""
    w, h = 856, 540
    top = np.array([rng.randint(225, 240), rng.randint(232, 245), rng.randint(236, 250)], np.float32)
    bottom = np.array([rng.randint(238, 252), rng.randint(232, 245), rng.randint(215, 232)], np.float32)
    ramp = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    card = Image.fromarray(
        np.clip(top * (1 - ramp) + bottom * ramp + np.zeros((h, w, 3), np.float32), 0, 255).astype(np.uint8)
    )
    draw = ImageDraw.Draw(card)
    for i in range(0, w + h, 24):  # faint guilloche-like lines
        draw.line((i, 0, i - h, h), fill=(214, 226, 232), width=1)
    label, value = CARD_FONT.load(26), CARD_FONT.load(32)
    number = CARD_NUMBER_FONT.load(38)
    grey, black = (70, 110, 140), (20, 20, 20)
    birth = f"{id_number[6:10]} 年 {int(id_number[10:12])} 月 {int(id_number[12:14])} 日"
    sex = "男" if int(id_number[16]) % 2 else "女"
    rows = (("姓  名", name, 50), ("性  别", f"{sex}      民族  汉", 120), ("出  生", birth, 190))
    for text, filled, y in rows:
        draw.text((48, y + 4), text, font=label, fill=grey)
        draw.text((160, y), filled, font=value, fill=black)
    draw.text((48, 264), "住  址", font=label, fill=grey)
    draw.text(
        (160, 260),
        rng.choice(
            (
                "北京市东城区东华门街道",
                "上海市黄浦区南京东路",
                "广州市天河区体育西路",
                "深圳市南山区科技园路",
                "成都市锦江区春熙路",
            )
        ),
        font=value,
        fill=black,
    )
    draw.text(
        (160, 305),
        f"{rng.randint(1, 300)}号{rng.randint(1, 30)}栋{rng.randint(101, 2806)}室",
        font=value,
        fill=black,
    )
    draw.text((48, 448), "公民身份号码", font=label, fill=grey)
    draw.text((248, 440), id_number, font=number, fill=black)
    if portrait is not None:
        photo = portrait.resize((220, 270), Image.Resampling.BICUBIC)
        card.paste(photo, (598, 60))
    return card


def portrait_crop(portrait: Portrait) -> Image.Image:
    """The card photo: the face with some margin, on a plain light background."""
    fx, fy, fw, fh = portrait.face
    margin_x, margin_y = round(fw * 0.45), round(fh * 0.6)
    box = (
        max(0, fx - margin_x),
        max(0, fy - margin_y),
        min(portrait.image.width, fx + fw + margin_x),
        min(portrait.image.height, fy + fh + margin_y),
    )
    return portrait.image.crop(box)


def note(
    rng: random.Random, lines: Sequence[str], font: FontFace, char_px: int, *, thumb: bool
) -> Image.Image:
    """A sheet of paper with `lines` written on it, RGBA, with a thumb on its lower edge.

    Handwriting-like fonts get more jitter per character (size, baseline, slant)."""
    jitter = 0.12 if font.handwriting else 0.05
    ink = rng.choice(INKS)
    spacing = round(char_px * rng.uniform(1.45, 1.8))
    widths = [sum(_advance(font, ch, char_px) for ch in line) for line in lines]
    margin = round(char_px * rng.uniform(0.8, 1.3))
    paper_w = max(widths) + 2 * margin
    paper_h = spacing * len(lines) + 2 * margin
    pad = round(char_px * 1.6) if thumb else 0
    sheet = Image.new("RGBA", (paper_w, paper_h + pad), (0, 0, 0, 0))
    tone = rng.randint(232, 252)
    tint = (tone, tone - rng.randint(0, 8), tone - rng.randint(0, 16), 255)
    draw = ImageDraw.Draw(sheet)
    draw.rectangle((0, 0, paper_w - 1, paper_h - 1), fill=tint)
    if rng.random() < 0.4:  # ruled paper
        for y in range(margin + spacing - round(char_px * 0.2), paper_h - margin // 2, spacing):
            draw.line((0, y, paper_w, y), fill=(170, 190, 220, 255), width=max(1, char_px // 30))
    y = margin
    for line in lines:
        x = margin + rng.randint(0, max(0, margin // 3))
        for ch in line:
            size = max(8, round(char_px * rng.uniform(1 - jitter, 1 + jitter)))
            glyph = _glyph(font, ch, size, ink, rng.uniform(-jitter * 40, jitter * 40))
            dy = round(char_px * rng.uniform(-jitter, jitter))
            sheet.alpha_composite(glyph, (max(0, x), max(0, y + dy)))
            x += _advance(font, ch, char_px) + round(char_px * rng.uniform(-jitter / 2, jitter / 2))
        y += spacing
    if thumb:
        draw = ImageDraw.Draw(sheet)
        cx = round(paper_w * rng.uniform(0.3, 0.7))
        skin = (*rng.choice(SKIN), 255)
        draw.ellipse(
            (cx - char_px * 0.9, paper_h - char_px * 0.6, cx + char_px * 0.9, paper_h + pad), fill=skin
        )
    return sheet


def _advance(font: FontFace, ch: str, char_px: int) -> int:
    return max(1, round(font.load(char_px).getlength(ch)))


def _glyph(font: FontFace, ch: str, size: int, ink: tuple[int, int, int], angle: float) -> Image.Image:
    face = font.load(size)
    box = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
    ImageDraw.Draw(box).text((size // 4, size // 8), ch, font=face, fill=(*ink, 255))
    return box.rotate(angle, resample=Image.Resampling.BICUBIC, center=(size // 2, size // 2))


def place(
    canvas: Image.Image,
    item: Image.Image,
    centre: tuple[int, int],
    width: int,
    angle: float,
    rng: random.Random,
    tilt: float = 0.04,
) -> None:
    """Paste `item` (RGBA or RGB) scaled to `width`, rotated by `angle` degrees and tilted in
    perspective by up to `tilt` of its size, centred at `centre`."""
    rgba = item.convert("RGBA")
    scale = width / rgba.width
    rgba = rgba.resize((width, max(1, round(rgba.height * scale))), Image.Resampling.LANCZOS)
    w, h = rgba.size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    jitter = np.float32([[rng.uniform(-tilt, tilt) * w, rng.uniform(-tilt, tilt) * h] for _ in range(4)])
    theta = np.deg2rad(angle)
    rot = np.float32([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    dst = (src + jitter - [w / 2, h / 2]) @ rot.T + np.float32(centre)
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(
        np.asarray(rgba),
        matrix,
        canvas.size,
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0, 0),
    )
    canvas.paste(Image.fromarray(warped[:, :, :3]), (0, 0), Image.fromarray(warped[:, :, 3]))


def light(rng: random.Random, image: Image.Image) -> Image.Image:
    """Uneven light: a directional gradient, a colour cast, sometimes a shadow across (the
    gain is smooth, so it is computed at 1/8 of the size and scaled up)."""
    pixels = np.asarray(image).astype(np.float32)
    h, w = pixels.shape[:2]
    sh, sw = h // 8, w // 8
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    along = (xx / sw - 0.5) * np.cos(theta) + (yy / sh - 0.5) * np.sin(theta)
    low, high = rng.uniform(0.6, 0.95), rng.uniform(1.0, 1.2)
    gain = low + (high - low) * (along - along.min()) / (np.ptp(along) + 1e-6)
    if rng.random() < 0.3:
        x0 = rng.uniform(0, sw)
        shadow = (xx - x0 + (yy - sh / 2) * rng.uniform(-0.5, 0.5)) > 0
        soft = cv2.GaussianBlur(shadow.astype(np.float32), (0, 0), sw / 60 + 0.5)
        gain = gain * (1 - rng.uniform(0.15, 0.35) * soft)
    gain = cv2.resize(gain, (w, h), interpolation=cv2.INTER_LINEAR)
    cast = np.float32([rng.uniform(0.9, 1.08), rng.uniform(0.95, 1.05), rng.uniform(0.85, 1.08)])
    pixels *= gain[:, :, None] * cast
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def blur(rng: random.Random, image: Image.Image) -> Image.Image:
    """Out of focus or shaken: a Gaussian or a motion blur strong enough to blur handwriting."""
    pixels = np.asarray(image)
    if rng.random() < 0.5:
        return Image.fromarray(cv2.GaussianBlur(pixels, (0, 0), rng.uniform(3.0, 6.0)))
    length = rng.randint(18, 40)
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return Image.fromarray(cv2.filter2D(pixels, -1, kernel / kernel.sum()))


def camera(rng: random.Random, image: Image.Image, *, quality: int, stamp: str) -> bytes:
    """Sensor noise, a little lens softness, JPEG at `quality`, camera EXIF (make, model, time)."""
    soft = cv2.GaussianBlur(np.asarray(image), (0, 0), rng.uniform(0.2, 0.9))
    noise = np.random.default_rng(rng.getrandbits(32)).standard_normal(soft.shape, dtype=np.float32)
    pixels = soft.astype(np.float32) + noise * rng.uniform(1.0, 3.0)
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return jpeg(out, quality=quality, exif_camera=rng.choice(CAMERAS), stamp=stamp)


def jpeg(
    image: Image.Image, *, quality: int, exif_camera: tuple[str, str] | None = None, stamp: str = ""
) -> bytes:
    exif = Image.Exif()
    if exif_camera is not None:
        exif[0x010F], exif[0x0110] = exif_camera
    if stamp:
        exif[0x0132] = stamp
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def screenshot(rng: random.Random, photo: Image.Image) -> Image.Image:
    """The photo as shown in a phone's gallery app and captured with the screenshot button:
    flat bars, status line, no camera noise of its own."""
    w, h = 1080, 2340
    dark = rng.random() < 0.5
    background = (0, 0, 0) if dark else (255, 255, 255)
    fg = (255, 255, 255) if dark else (20, 20, 20)
    screen = Image.new("RGB", (w, h), background)
    draw = ImageDraw.Draw(screen)
    small = CARD_FONT.load(40)
    draw.text((60, 30), f"{rng.randint(8, 22)}:{rng.randint(0, 59):02d}", font=small, fill=fg)
    draw.rectangle((w - 150, 40, w - 60, 80), outline=fg, width=4)
    draw.text((60, 150), rng.choice(("‹ 相册", "‹ 最近项目", "‹ 图库")), font=CARD_FONT.load(48), fill=fg)
    shown = photo.copy()
    shown.thumbnail((w, h - 600))
    screen.paste(shown, ((w - shown.width) // 2, (h - shown.height) // 2))
    for i in range(5):  # toolbar icons
        x = 110 + i * 210
        draw.ellipse((x - 30, h - 190, x + 30, h - 130), outline=fg, width=5)
    return screen


def reuse(rng: random.Random, data: bytes) -> bytes:
    """The same photo sent again: a slight crop, resized, re-saved, light touched up."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    rgb = image.convert("RGB")
    w, h = rgb.size
    box = (
        round(w * rng.uniform(0, 0.03)),
        round(h * rng.uniform(0, 0.03)),
        round(w * (1 - rng.uniform(0, 0.03))),
        round(h * (1 - rng.uniform(0, 0.03))),
    )
    factor = rng.uniform(0.6, 1.0)
    rgb = rgb.crop(box)
    rgb = rgb.resize((round(rgb.width * factor), round(rgb.height * factor)), Image.Resampling.LANCZOS)
    pixels = np.asarray(rgb).astype(np.float32) * rng.uniform(0.94, 1.06)
    out = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    out.save(buffer, "JPEG", quality=rng.randint(60, 90), exif=exif.tobytes())
    return buffer.getvalue()
