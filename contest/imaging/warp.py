"""Straightening a found sheet: the warp from its four corners to an
upright rectangle of its own proportions. Pure OpenCV/numpy on PIL images,
no Django."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

from .geometry import Corners
from .light import even_light as even_out_light

# Sheets whose proportions are within this of the ISO A-series ratio √2
# are given exactly √2.
ISO_SNAP = 0.04
ISO_RATIO = math.sqrt(2)


def sheet_size(corners: Corners, size: tuple[int, int]) -> tuple[int, int]:
    """The straightened sheet's (w, h) in pixels for `corners` (normalized)
    in an image of `size` (w, h): the mean lengths of opposite sides, the
    long side's length kept and the ratio snapped to √2 (ISO A4, A3…) when
    within `ISO_SNAP` of it."""
    width, height = size
    pts = [(x * width, y * height) for x, y in corners]
    w = (math.dist(pts[0], pts[1]) + math.dist(pts[3], pts[2])) / 2
    h = (math.dist(pts[0], pts[3]) + math.dist(pts[1], pts[2])) / 2
    ratio = max(w, h) / max(min(w, h), 1e-6)
    if abs(ratio / ISO_RATIO - 1) <= ISO_SNAP:
        if w >= h:
            h = w / ISO_RATIO
        else:
            w = h / ISO_RATIO
    return max(1, round(w)), max(1, round(h))


def straighten(
    image: Image.Image, corners: Corners, *, even_light: bool = True, size: tuple[int, int] | None = None
) -> Image.Image:
    """`image` (RGB or L; the result has its mode) warped so that `corners` (normalized) become the
    corners of an upright rectangle of the sheet's own proportions
    (`sheet_size`), or of `size` (w, h) pixels when given (the largest
    rendition's size: the image is first box-reduced by the largest whole
    factor that keeps the sheet at least that big, and only the sheet's
    bounding box is copied out of it). With `even_light`, the paper's light
    is evened out (`light.even_light`). Returns a new RGB image."""
    natural = sheet_size(corners, image.size)
    out_w, out_h = size or natural
    factor = max(1, int(min(natural[0] / out_w, natural[1] / out_h)))
    if factor >= 2:
        image = image.reduce(factor)
    width, height = image.size
    src = np.array([(x * width, y * height) for x, y in corners], dtype=np.float32)
    left, top = (int(max(0, math.floor(v - 2))) for v in src.min(axis=0))
    right, bottom = int(min(width, math.ceil(src[:, 0].max() + 2))), int(min(height, math.ceil(src[:, 1].max() + 2)))
    crop = image.crop((left, top, right, bottom)) if (left, top, right, bottom) != (0, 0, width, height) else image
    src -= (left, top)
    dst = np.array([(0, 0), (out_w, 0), (out_w, out_h), (0, out_h)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(
        np.asarray(crop), matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    if even_light and warped.ndim == 3:
        warped = even_out_light(warped)
    return Image.fromarray(warped)
