"""Synthetic, deterministic "child holding the drawing" photos and drawings
with a name written on them, for the face and name detectors' tests and
for bench/bench_privacy.py.

The only real faces in the shared corpus are the portraits of Grace Hopper
(`real/pillow_hopper*`, public domain); a held-drawing photo is one of them
(head and shoulders) pasted above or beside a corpus drawing, on a wall-like
background (a gradient with noise), at several sizes, mirrored or not, a
little brighter or darker. The same `seed` always gives the same photo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps

from contest.imaging.geometry import Box, Corners

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "contest" / "certificates" / "fonts" / "DejaVuSans-Bold.ttf"
# Colour portraits of one real face, each decodable here (AVIF/HEIF need pillow-heif).
PORTRAITS = ("pillow_hopper.webp", "pillow_hopper.tif", "pillow_hopper.bmp", "pillow_hopper.avif")
# The face (forehead to chin) within the 128x128 Hopper portrait, in pixels.
HOPPER_FACE = (30, 22, 98, 100)


@dataclass(frozen=True)
class HeldPhoto:
    """A synthetic photo: `image` (RGB), where the pasted face is (`face`,
    normalized) and the drawing's corners (`sheet`, normalized)."""

    image: Image.Image
    face: Box
    sheet: Corners


def drawing_files(corpus: Path) -> list[Path]:
    """Every drawing of the corpus (JPEG and PNG), sorted by name."""
    return sorted(p for p in (corpus / "drawings").iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})


def portrait_files(corpus: Path) -> list[Path]:
    """The corpus' real portraits (Grace Hopper in several formats)."""
    return [corpus / "real" / name for name in PORTRAITS]


def load_rgb(path: Path) -> Image.Image:
    """`path` decoded upright (EXIF orientation applied) as RGB."""
    with Image.open(path) as im:
        return ImageOps.exif_transpose(im).convert("RGB")


def _background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    width, height = size
    top = np.array([rng.randint(150, 235) for _ in range(3)], dtype=np.float32)
    bottom = top * rng.uniform(0.6, 0.9)
    t = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    pixels = top * (1 - t) + bottom * t + np.zeros((height, width, 3), np.float32)
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 4, (height, width, 3))
    return Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))


def held_photo(corpus: Path, seed: int) -> HeldPhoto:
    """Photo number `seed`: a portrait's head and shoulders above or beside
    drawing number `seed` (modulo the corpus), on a 1200x1600 or 1600x1200
    background. The face is 9-22 % of the photo's height."""
    rng = random.Random(seed)
    drawings = drawing_files(corpus)
    drawing = load_rgb(drawings[seed % len(drawings)])
    portrait = load_rgb(portrait_files(corpus)[seed % len(PORTRAITS)])
    size = (1200, 1600) if rng.random() < 0.6 else (1600, 1200)
    photo = _background(rng, size)
    width, height = size
    beside = width > height or rng.random() < 0.3
    face_h = int(height * rng.uniform(0.09, 0.22))
    scale = face_h / (HOPPER_FACE[3] - HOPPER_FACE[1])
    head = portrait.resize((int(128 * scale), int(128 * scale)), Image.Resampling.BICUBIC)
    if rng.random() < 0.5:
        head = ImageOps.mirror(head)
    head = Image.eval(head, lambda v, k=rng.uniform(0.8, 1.15): min(255, int(v * k)))
    # The drawing: below the face, or beside it, up to 60 % of the photo.
    if beside:
        dw = int(width * rng.uniform(0.4, 0.55))
        dh = min(int(dw * drawing.height / drawing.width), int(height * 0.85))
        dw = int(dh * drawing.width / drawing.height)
        dx = width - dw - int(width * rng.uniform(0.03, 0.1))
        dy = (height - dh) // 2
        hx = int(dx * rng.uniform(0.15, 0.6) - head.width / 2)
        hy = int(height * rng.uniform(0.1, 0.4))
    else:
        dw = int(width * rng.uniform(0.55, 0.75))
        dh = min(int(dw * drawing.height / drawing.width), int(height * 0.55))
        dw = int(dh * drawing.width / drawing.height)
        dx = (width - dw) // 2 + rng.randint(-40, 40)
        dy = height - dh - int(height * rng.uniform(0.04, 0.1))
        hx = (width - head.width) // 2 + rng.randint(-80, 80)
        hy = max(0, dy - head.height + int(head.height * 0.15))
    photo.paste(head, (hx, hy))
    photo.paste(drawing.resize((dw, dh), Image.Resampling.BICUBIC), (dx, dy))
    fx0 = hx + HOPPER_FACE[0] * scale
    face = Box(fx0 / width, (hy + HOPPER_FACE[1] * scale) / height,
               (HOPPER_FACE[2] - HOPPER_FACE[0]) * scale / width, face_h / height)
    sheet = ((dx / width, dy / height), ((dx + dw) / width, dy / height),
             ((dx + dw) / width, (dy + dh) / height), (dx / width, (dy + dh) / height))
    return HeldPhoto(image=photo, face=face, sheet=sheet)


def written_name(corpus: Path, seed: int, word: str) -> tuple[Image.Image, Box]:
    """Drawing number `seed` with `word` written on it in big dark letters
    (DejaVu Sans Bold, 7-11 % of the drawing's height) near its bottom or
    top edge, on a light band as on paper; returns the drawing and the
    word's box (normalized)."""
    rng = random.Random(seed)
    drawings = drawing_files(corpus)
    drawing = load_rgb(drawings[seed % len(drawings)])
    drawing.thumbnail((1600, 1600))
    width, height = drawing.size
    font = ImageFont.truetype(str(FONT), int(height * rng.uniform(0.07, 0.11)))
    draw = ImageDraw.Draw(drawing)
    left, top, right, bottom = draw.textbbox((0, 0), word, font=font)
    tx = int(rng.uniform(0.03, max(0.04, 1 - (right - left) / width - 0.03)) * width)
    ty = int(height * (0.04 if rng.random() < 0.4 else 0.82))
    pad = int(font.size * 0.3)
    band = (tx + left - pad, ty + top - pad, tx + right + pad, ty + bottom + pad)
    draw.rectangle(band, fill=(245, 243, 236))
    ink = rng.choice([(20, 20, 30), (30, 40, 120), (120, 20, 20)])
    draw.text((tx, ty), word, font=font, fill=ink)
    box = Box((tx + left) / width, (ty + top) / height, (right - left) / width, (bottom - top) / height)
    return drawing, box
