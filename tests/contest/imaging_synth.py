"""Synthetic phone photos of a drawing lying on a table, for the sheet tests
and `bench/bench_sheet.py`.

`synthetic_photo(drawing, seed=...)` puts a flat drawing on a sheet of
paper (a margin of 2–7 % around it, off-white, or the drawing's own
paper colour when its border is grey or white), then photographs it: the
sheet rotated up to ±15° with a random perspective (each corner moved up
to 6 % of the sheet's size), covering 35–80 % of the frame, on a textured
background (wood grain, woven cloth, tiles or mottled noise, in varied
colours, some of them light), under a smooth light gradient and a soft
shadow, sometimes with a skin-coloured "thumb" over one edge, then sensor
noise and a JPEG round trip (q 72–90). Everything comes from
`numpy.random.default_rng(seed)`: one seed, one photo, on every machine.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image


@dataclass
class SyntheticPhoto:
    """`photo` (RGB PIL image, the requested size), `corners` (the sheet's
    true corners TL, TR, BR, BL, normalized to the photo), `sheet` (the flat
    sheet as it was photographed, RGB), whether a `thumb` was drawn and the
    `table`'s kind (`background`: "light wood", "dark tiles"...)."""

    photo: Image.Image
    corners: tuple[tuple[float, float], ...]
    sheet: Image.Image
    thumb: bool
    table: str = ""


def paper_sheet(drawing: Image.Image, rng: np.random.Generator, long_side: int, margin: float | None = None) -> np.ndarray:
    """The drawing upscaled to `long_side` px on an off-white sheet with a
    `margin` (share of the long side; by default random in 2–7 %; 0 makes
    the drawing itself the sheet), as an (h, w, 3) uint8 array."""
    drawing = drawing.convert("RGB")
    margin = rng.uniform(0.02, 0.07) if margin is None else margin
    inner = round(long_side * (1 - 2 * margin))
    scale = inner / max(drawing.size)
    dw, dh = max(1, round(drawing.width * scale)), max(1, round(drawing.height * scale))
    pad = round(long_side * margin)
    tint = np.array([rng.uniform(236, 252)] * 3) + rng.uniform(-4, 4, 3)
    # A drawing photographed on grey paper keeps its own paper colour.
    arr = np.asarray(drawing)
    ring = np.concatenate([arr[:4].reshape(-1, 3), arr[-4:].reshape(-1, 3), arr[:, :4].reshape(-1, 3), arr[:, -4:].reshape(-1, 3)])
    edge = np.median(ring, axis=0)
    if edge.min() > 120 and edge.max() - edge.min() < 30:
        tint = edge
    sheet = np.empty((dh + 2 * pad, dw + 2 * pad, 3), np.uint8)
    sheet[:] = np.clip(tint, 0, 255).astype(np.uint8)
    sheet[pad : pad + dh, pad : pad + dw] = np.asarray(drawing.resize((dw, dh), Image.Resampling.BICUBIC))
    return sheet


def _smooth_noise(rng: np.random.Generator, size: tuple[int, int], cells: tuple[int, int]) -> np.ndarray:
    """Smooth noise in 0..1 of `size` (w, h), from a `cells` (w, h) grid."""
    grid = rng.random((cells[1], cells[0])).astype(np.float32)
    return cv2.resize(grid, size, interpolation=cv2.INTER_CUBIC)


TABLE_KINDS = ("wood", "cloth", "tiles", "mottled")


def background(rng: np.random.Generator, size: tuple[int, int]) -> tuple[np.ndarray, str]:
    """A textured table or cloth of `size` (w, h) as (h, w, 3) float32
    0..255, and its kind ("light wood", "dark tiles"…)."""
    w, h = size
    hue = rng.uniform(0, 180)
    light = rng.random() < 0.3
    sat = rng.uniform(0.08, 0.3) if light else rng.uniform(0.15, 0.8)
    val = rng.uniform(0.72, 0.86) if light else rng.uniform(0.15, 0.7)
    base = cv2.cvtColor(np.uint8([[[hue, sat * 255, val * 255]]]), cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)
    kind = rng.integers(0, 4)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == 0:  # wood grain: warped stripes
        warp = _smooth_noise(rng, size, (4, 4)) * rng.uniform(20, 60)
        freq = rng.uniform(0.02, 0.08) * 1000 / max(w, h)
        texture = 0.5 + 0.5 * np.sin((yy + warp) * freq * 2 * math.pi / 10)
        texture = 0.75 + 0.35 * texture + 0.1 * _smooth_noise(rng, size, (60, 8))
    elif kind == 1:  # woven cloth: a fine criss-cross
        period = max(3.0, rng.uniform(3, 8) * max(w, h) / 1000)
        texture = 0.9 + 0.06 * np.sin(xx * 2 * math.pi / period) * np.sin(yy * 2 * math.pi / period)
        texture += 0.12 * _smooth_noise(rng, size, (12, 9))
    elif kind == 2:  # tiles: a grid of grout lines, each tile its own shade
        tile = rng.uniform(0.08, 0.2) * max(w, h)
        shade = rng.uniform(0.85, 1.1, (int(h / tile) + 2, int(w / tile) + 2))
        texture = shade[(yy / tile).astype(int), (xx / tile).astype(int)].astype(np.float32)
        grout = (np.mod(xx, tile) < tile * 0.04) | (np.mod(yy, tile) < tile * 0.04)
        texture[grout] *= rng.uniform(0.6, 1.25)
    else:  # mottled
        texture = 0.7 + 0.4 * _smooth_noise(rng, size, (30, 22)) + 0.15 * _smooth_noise(rng, size, (6, 5))
    texture = texture + rng.normal(0, 0.03, (h, w)).astype(np.float32)
    return base[None, None, :] * texture[..., None], f"{'light' if light else 'dark'} {TABLE_KINDS[kind]}"


def sheet_quad(rng: np.random.Generator, size: tuple[int, int], aspect: float, rotation: float | None) -> np.ndarray:
    """Four corners (TL, TR, BR, BL; (4, 2) float32 pixels) of a sheet of
    `aspect` (w/h) covering 35–80 % of a frame of `size` (w, h)."""
    w, h = size
    for _ in range(100):
        share = rng.uniform(0.35, 0.8)
        sh = math.sqrt(share * w * h / aspect)
        sw = sh * aspect
        angle = math.radians(rotation if rotation is not None else rng.uniform(-15, 15))
        rect = np.array([(-sw / 2, -sh / 2), (sw / 2, -sh / 2), (sw / 2, sh / 2), (-sw / 2, sh / 2)])
        rect += rng.uniform(-0.06, 0.06, (4, 2)) * (sw, sh)
        rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        quad = rect @ rot.T
        lo, hi = quad.min(axis=0), quad.max(axis=0)
        room = np.array([w, h]) * 0.97 - (hi - lo)
        if (room > 0).all():
            offset = np.array([w, h]) * 0.015 - lo + rng.uniform(0, 1, 2) * room
            return (quad + offset).astype(np.float32)
    raise RuntimeError("no sheet placement found")


def _thumb(rng: np.random.Generator, photo: np.ndarray, quad: np.ndarray) -> None:
    """A skin-coloured blob over a random edge of `quad`, drawn into `photo`."""
    h, w = photo.shape[:2]
    side = rng.integers(0, 4)
    a, b = quad[side], quad[(side + 1) % 4]
    t = rng.uniform(0.2, 0.8)
    centre = a + (b - a) * t
    length = rng.uniform(0.05, 0.09) * max(w, h)
    mask = np.zeros((h, w), np.float32)
    angle = math.degrees(math.atan2(*(b - a)[::-1])) + 90
    cv2.ellipse(mask, (int(centre[0]), int(centre[1])), (int(length), int(length * 0.45)), angle, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), length * 0.05)
    skin = np.array([rng.uniform(190, 235), rng.uniform(140, 185), rng.uniform(110, 160)], np.float32)
    shade = 0.85 + 0.15 * _smooth_noise(rng, (w, h), (8, 6))
    photo[:] = photo * (1 - mask[..., None]) + (skin[None, None, :] * shade[..., None]) * mask[..., None]


def synthetic_photo(
    drawing: Image.Image,
    *,
    seed: int,
    size: tuple[int, int] = (1600, 1200),
    thumb: bool | None = None,
    rotation: float | None = None,
    margin: float | None = None,
) -> SyntheticPhoto:
    """A phone photo of `drawing` on a table (see the module docstring).

    `size` (w, h) of the photo in pixels (the sheet is turned to the
    frame's orientation); `thumb` forces a thumb on (True) or off (False),
    by default one photo in three has one; `rotation` (degrees) replaces
    the random ±15°; `margin` is the paper around the drawing (see
    `paper_sheet`: 0 photographs the drawing itself as the sheet)."""
    rng = np.random.default_rng(seed)
    w, h = size
    sheet = paper_sheet(drawing, rng, long_side=int(max(w, h) * 0.9), margin=margin)
    if (sheet.shape[1] >= sheet.shape[0]) != (w >= h) and rng.random() < 0.7:
        sheet = np.ascontiguousarray(np.rot90(sheet))
    aspect = sheet.shape[1] / sheet.shape[0]
    quad = sheet_quad(rng, size, aspect, rotation)
    src = np.float32([(0, 0), (sheet.shape[1], 0), (sheet.shape[1], sheet.shape[0]), (0, sheet.shape[0])])
    matrix = cv2.getPerspectiveTransform(src, quad)
    warped = cv2.warpPerspective(sheet, matrix, size, flags=cv2.INTER_AREA).astype(np.float32)
    alpha = cv2.warpPerspective(np.ones(sheet.shape[:2], np.float32), matrix, size, flags=cv2.INTER_LINEAR)
    photo, table = background(rng, size)
    photo = photo * (1 - alpha[..., None]) + warped * alpha[..., None]
    if thumb if thumb is not None else rng.random() < 1 / 3:
        _thumb(rng, photo, quad)
        thumb = True
    # Light: a gradient across the frame and a soft shadow somewhere.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    direction = rng.uniform(0, 2 * math.pi)
    ramp = (xx / w - 0.5) * math.cos(direction) + (yy / h - 0.5) * math.sin(direction)
    light = 1.0 - rng.uniform(0.05, 0.3) * (ramp + 0.5)
    shadow = np.zeros((h, w), np.float32)
    centre = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
    cv2.circle(shadow, centre, int(rng.uniform(0.15, 0.4) * max(w, h)), 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(w, h) * 0.06)
    light *= 1 - rng.uniform(0.0, 0.25) * shadow
    photo *= light[..., None]
    photo += rng.normal(0, rng.uniform(1.5, 4), (h, w, 1)).astype(np.float32)
    out = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=int(rng.integers(72, 91)))
    buf.seek(0)
    corners = tuple((float(x) / w, float(y) / h) for x, y in quad)
    return SyntheticPhoto(photo=Image.open(buf).convert("RGB"), corners=corners, sheet=Image.fromarray(sheet), thumb=bool(thumb), table=table)
