"""Finding a person's face in a photo (a child holding the drawing).

The detector is OpenCV's Viola-Jones cascade classifier with the Haar
cascades shipped inside the opencv-python-headless wheel
(`cv2.data.haarcascades`): the model comes with the registry package and
is never downloaded at run time. Children's drawings are full of drawn
faces, which such a cascade also finds, so every candidate must in
addition look photographic:

- skin: enough of its central ellipse in the skin-tone cluster of YCrCb
  (Cr 133-173, Cb 77-127: Chai & Ngan, "Face segmentation using skin-colour
  map in videophone applications", IEEE TCSVT 9(4), 1999). Skipped for a
  photo without colour (a grey photo);
- shading: a photographed face is lit, so its grey levels vary smoothly:
  most pixels of the central ellipse carry a small, non-zero gradient,
  where a drawn face is flat colour areas cut by hard lines (few small
  gradients, many zero or large ones);
- flat colour and contrast: a drawn face has many pixels without any
  gradient; an empty patch of beige paper has no contrast (see below);
- place: a candidate whose centre lies on the sheet (`sheet`, the sheet's
  corners when known) is a face drawn on the sheet.

The cascade is the frontal one only (profiles of a child looking at the
camera are rare, and the profile cascade doubled the time). The thresholds
of the photographic filters were chosen on the shared corpus: the
features of every cascade candidate on the 401 drawings (drawn faces) and
on 80 synthetic held-drawing photos of the corpus' one real face (Grace
Hopper, tests/contest/held_drawings.py); with them 5 of the 401 drawings
(1.25 %, painted or pencilled near-realistic faces) still get a face, and
a face is found on 73 of the 80 photos and the 6 portraits (the misses are
the cascade's own, on the smallest faces). Only one real person was available: the recall figure is
optimistic for other faces, lighting and skin tones. bench/bench_privacy.py
measures it again.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .geometry import Box, Corners

# The long side, in pixels, the photo is reduced to before detection.
WORK_SIDE = 640
# The smallest face searched, as a share of the reduced photo's long side.
MIN_FACE_SHARE = 0.04
# Cascade settings: the scale step between pyramid levels and how many
# overlapping detections confirm a face (OpenCV's documented defaults are
# 1.1 and 3: the coarser step costs a third less time and found as many
# held-drawing faces; more neighbours, fewer drawn faces).
SCALE_FACTOR = 1.15
MIN_NEIGHBOURS = 5
# Skin: the share of the central ellipse in Chai & Ngan's YCrCb box.
SKIN_CR = (133, 173)
SKIN_CB = (77, 127)
MIN_SKIN_SHARE = 0.35
# A photo is grey (no skin test) when its mean chroma distance from
# neutral is below this, in YCrCb units.
GREY_CHROMA = 3.0
# Shading: Sobel magnitude (on 0-255 grey) counted as "smooth" between
# these bounds; the share of smooth pixels a photographed face has at least.
SMOOTH_GRADIENT = (2.0, 40.0)
MIN_SMOOTH_SHARE = 0.75
# Flat colour: a drawn face has many pixels without any gradient (felt-tip
# or paint areas); a lit, photographed face almost none (its camera noise
# and shading). At most this share of the ellipse below SMOOTH_GRADIENT[0].
MAX_FLAT_SHARE = 0.08
# A face has eyes, brows and a mouth: at least this grey standard
# deviation (0-255) in the ellipse; an empty beige area of paper has less.
MIN_CONTRAST = 20.0
CASCADES = ("haarcascade_frontalface_default.xml",)


@lru_cache(maxsize=None)
def _cascade(name: str) -> cv2.CascadeClassifier:
    """The cascade `name` from the wheel's data folder; raises RuntimeError
    when it is missing or does not load (a broken OpenCV install)."""
    path = Path(cv2.data.haarcascades) / name
    cascade = cv2.CascadeClassifier(str(path))
    if cascade.empty():
        raise RuntimeError(f"OpenCV's face cascade did not load: {path}")
    return cascade


def _reduced(image: Image.Image) -> np.ndarray:
    """`image` as an RGB array no longer than WORK_SIDE on its long side
    (never enlarged). A large image is box-reduced by a whole factor first
    (to at least twice WORK_SIDE), so no full-size RGB copy is made."""
    factor = max(image.size) // (2 * WORK_SIDE)
    if factor >= 2:
        image = image.reduce(factor)
    rgb = np.asarray(image.convert("RGB"))
    height, width = rgb.shape[:2]
    scale = WORK_SIDE / max(width, height)
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    return rgb


def _ellipse(h: int, w: int) -> np.ndarray:
    """A boolean mask of the ellipse inscribed in the central 70 % of a
    w x h box (the face without hair and background)."""
    yy, xx = np.mgrid[0:h, 0:w]
    return ((xx - w / 2) / (w * 0.35)) ** 2 + ((yy - h / 2) / (h * 0.35)) ** 2 <= 1


def candidate_features(rgb: np.ndarray, grey: np.ndarray, box: tuple[int, int, int, int]) -> dict:
    """The photographic features of one candidate: `skin` (share of skin
    tone in its central ellipse, 0..1), `smooth` (share of small non-zero
    gradients there, 0..1). `box` is (x, y, w, h) in pixels of the
    reduced arrays `rgb` (HxWx3 uint8) and `grey` (HxW uint8). Also `flat`
    (share of near-zero gradients: flat colour) and `contrast` (standard
    deviation of the grey levels, 0-255 units)."""
    x, y, w, h = box
    inside = _ellipse(h, w)
    ycrcb = cv2.cvtColor(np.ascontiguousarray(rgb[y : y + h, x : x + w]), cv2.COLOR_RGB2YCrCb)
    cr, cb = ycrcb[..., 1], ycrcb[..., 2]
    skin = (cr >= SKIN_CR[0]) & (cr <= SKIN_CR[1]) & (cb >= SKIN_CB[0]) & (cb <= SKIN_CB[1])
    patch = grey[y : y + h, x : x + w].astype(np.float32)
    gx = cv2.Sobel(patch, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(patch, cv2.CV_32F, 0, 1, ksize=3) / 8
    magnitude = np.hypot(gx, gy)
    smooth = (magnitude >= SMOOTH_GRADIENT[0]) & (magnitude <= SMOOTH_GRADIENT[1])
    return {
        "skin": float(skin[inside].mean()),
        "smooth": float(smooth[inside].mean()),
        "flat": float((magnitude[inside] < SMOOTH_GRADIENT[0]).mean()),
        "contrast": float(patch[inside].std()),
    }


def _on_sheet(sheet: Corners | None, centre: tuple[float, float]) -> bool:
    """Whether the normalized point `centre` lies on (or at the edge of) the
    quadrilateral `sheet`; False without a sheet."""
    if sheet is None:
        return False
    polygon = np.array(sheet, dtype=np.float32).reshape(-1, 1, 2)
    return cv2.pointPolygonTest(polygon, (float(centre[0]), float(centre[1])), False) >= 0


def raw_candidates(image: Image.Image) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, int, int]]]:
    """The cascade's candidates before any filter: the reduced RGB array,
    its grey (not equalized) and the boxes (x, y, w, h) in its pixels."""
    rgb = _reduced(image)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    equalized = cv2.equalizeHist(grey)
    side = max(8, int(max(grey.shape) * MIN_FACE_SHARE))
    boxes: list[tuple[int, int, int, int]] = []
    for name in CASCADES:
        found = _cascade(name).detectMultiScale(
            equalized, scaleFactor=SCALE_FACTOR, minNeighbors=MIN_NEIGHBOURS, minSize=(side, side)
        )
        boxes.extend(tuple(int(v) for v in b) for b in found)
    return rgb, grey, boxes


def find_faces(image: Image.Image, *, sheet: Corners | None = None) -> list[Box]:
    """Faces of real people in `image` (upright photo, any mode and size)
    as boxes normalized to it, largest first; [] when none. `sheet`: the
    sheet's corners (normalized, as `Corners`) when known: a face whose
    centre is on the sheet is drawn, not a person. Raises RuntimeError
    only when OpenCV's cascade files are missing."""
    rgb, grey, boxes = raw_candidates(image)
    height, width = grey.shape
    ycrcb = cv2.cvtColor(rgb, cv2.COLOR_RGB2YCrCb).reshape(-1, 3)[::7].astype(np.float32)
    chroma = float(np.mean(np.hypot(ycrcb[:, 1] - 128, ycrcb[:, 2] - 128)))
    faces = []
    for x, y, w, h in boxes:
        if _on_sheet(sheet, ((x + w / 2) / width, (y + h / 2) / height)):
            continue
        features = candidate_features(rgb, grey, (x, y, w, h))
        if chroma >= GREY_CHROMA and features["skin"] < MIN_SKIN_SHARE:
            continue
        if features["smooth"] < MIN_SMOOTH_SHARE or features["flat"] > MAX_FLAT_SHARE:
            continue
        if features["contrast"] < MIN_CONTRAST:
            continue
        faces.append(Box(x / width, y / height, w / width, h / height))
    return sorted(faces, key=lambda b: -b.w * b.h)
