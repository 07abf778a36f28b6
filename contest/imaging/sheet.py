"""Finding the sheet of paper in a phone photo.

`find_sheet` looks for the sheet's four corners; `warp.straighten` then
warps the quadrilateral to a rectangle of the sheet's own proportions and
evens out the paper's light. Pure OpenCV/numpy on PIL images, no Django.

The method (document scanners' classic pipeline, as in OpenCV's
`squares.cpp` sample and Dropbox's "Fast and accurate document detection"
write-up, narrowed to what a child's drawing on a table looks like):

1. A copy about 480 px on its long side (nearest-neighbour sampling of the
   decoded image, then an area average: 2 ms at 12 MP), blurred.
2. "Paper-ness" per pixel in CIELAB: lightness minus twice the chroma
   (|a| + |b|), so white and grey paper score high and wood, cloth, skin
   and coloured tables low whatever their lightness.
3. Candidate masks: the paper-ness above Otsu's threshold, and above four
   thresholds under the paper's own level (the 90th percentile of the
   frame's central part). For each: the three largest regions, and the
   three largest regions of the rest that do not touch the frame's
   border (the sheet on a light table). A second source: the closed
   loops of edges (Canny on the lightness and on the paper-ness, joined
   by a 3 px dilation) enclosing at least a tenth of the frame, the six
   largest (a sheet on a light table merges with it in every mask, yet
   its edge is a clear line). For each region or loop: its
   convex hull (a thumb over the edge or strokes touching it do not dent
   it), the hull points extreme along the four diagonals as corners
   (exact for a rectangle turned less than 45°), then each side refitted
   as a line (`cv2.fitLine`, Huber) through the region's outline points
   near that side, and the corners re-intersected (a corner cut off by a
   finger comes back).
4. A candidate is kept only when it is a plausible sheet: convex, inside
   the frame, 12–97 % of its area, angles 60–120°, sides tilted under
   30°, opposite sides within 0.55–1.8 of each other, not the whole frame
   (every corner within 4 % of the frame's corner: nothing to crop); its
   outline lies along the quad's sides (`MIN_OUTLINE_FIT` of its points
   within 1.2 % of the diagonal: straight edges, not a light blob of the
   drawing), or, for a region also running round a thumb or a stretch of
   light table, traces `MIN_SIDE_COVERAGE` of every side with corners
   square within `LOOSE_ANGLE`; and when, along every side, the paper just
   inside is clearly more paper-like than what lies just outside (median
   over 24 points of each side ≥ `EDGE_CONTRAST`, `LOOSE_EDGE_CONTRAST`
   for the loose fit; the best of the steps at 1.5 and 3 % of the diagonal
   either side and at 0.6 % inside against the most paper-like of 0.6–3 %
   outside: a thin margin counts, a drawn line does not). That test keeps
   a flat drawing with a drawn border, or a coloured picture on white
   paper, uncropped: outside such a frame there is paper too.
5. Of the kept candidates whose weakest side is at least 0.6 of the
   strongest one's, the largest wins (the sheet, not the drawing's own
   field inside its margin). Edge outlines are looked at only when the
   paper gave no tight, clearly edged candidate.
6. A drawing painted to its very edge has no paper edge: `backdrop` finds
   the sheet as the region unlike the table round it, first. Its quad wins
   when its outline is a clean rectangle (steps 2-5 are then skipped: most
   photos on a table cost a third); else the larger of the two; none kept:
   None.

Figures: `bench/bench_sheet.py`, the last run in `bench/results/sheet.txt`
(synthetic photos straightened, of the drawing itself and of a drawing on
paper; the flat corpus drawings left alone; the cost per 12 MP photo).
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

from . import backdrop
from .geometry import Corners

# The long side, in pixels, of the copy the sheet is looked for in.
WORK_LONG_SIDE = 480
# Images smaller than this on their long side are never phone photos.
MIN_PHOTO_SIDE = 200
# The least paper-ness step (OpenCV 8-bit Lab units) from just inside the
# sheet to just outside it, on every side.
EDGE_CONTRAST = 14.0
# The least share of the paper region's outline lying along the quad.
MIN_OUTLINE_FIT = 0.8
# ... or this share, when the outline traces at least `MIN_SIDE_COVERAGE`
# of every side (the region also runs round a thumb or a light table).
LOOSE_OUTLINE_FIT = 0.4
MIN_SIDE_COVERAGE = 0.85
# ... and then corners square within `LOOSE_ANGLE`°, a stronger step.
LOOSE_ANGLE = 10.0
LOOSE_EDGE_CONTRAST = 25.0
# A tight candidate from the paper this clearly edged: no edge pass needed.
CLEAR_CONTRAST = 2 * EDGE_CONTRAST


def _small_copy(image: Image.Image) -> np.ndarray:
    """`image` as an (h, w, 3) uint8 array about `WORK_LONG_SIDE` px long."""
    scale = WORK_LONG_SIDE / max(image.size)
    size = (max(8, round(image.width * scale)), max(8, round(image.height * scale)))
    if scale < 0.5:
        # Nearest-neighbour to twice the size first (no full-size copy),
        # then a true area average.
        image = image.resize((size[0] * 2, size[1] * 2), Image.Resampling.NEAREST)
    arr = np.asarray(image.convert("RGB"))
    return cv2.resize(arr, size, interpolation=cv2.INTER_AREA)


def paperness(lab: np.ndarray) -> np.ndarray:
    """Paper-likeness of every pixel of `lab` ((h, w, 3) uint8, OpenCV's
    8-bit CIELAB): lightness minus twice the chroma, (h, w) float32, about
    -255..255."""
    lab = lab.astype(np.float32)
    chroma = np.abs(lab[..., 1] - 128) + np.abs(lab[..., 2] - 128)
    return lab[..., 0] - 2 * chroma


def _candidate_masks(score: np.ndarray) -> list[np.ndarray]:
    """Binary masks (uint8 0/255) of the paper at a few thresholds."""
    h, w = score.shape
    clipped = np.clip(score, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(clipped, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    centre = score[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    level = float(np.percentile(centre, 90))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    masks = []
    for threshold in (otsu, level - 15, level - 30, level - 55, level - 80):
        mask = (score > threshold).astype(np.uint8) * 255
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        masks.append(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel))
    return masks


def _outlines(mask: np.ndarray, min_area: float) -> list[np.ndarray]:
    """Outlines ((n, 2) float32) of the three largest regions of `mask` and
    of the three largest regions of its complement that do not reach the
    frame's border (a sheet inside a light, paper-like table), each at
    least `min_area` px²."""
    h, w = mask.shape
    found = []
    for source, inner_only in ((mask, False), (255 - mask, True)):
        contours, _ = cv2.findContours(source, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        contours = sorted(contours, key=cv2.contourArea, reverse=True)[:4]
        for contour in contours:
            if cv2.contourArea(contour) < min_area:
                break
            x, y, cw, ch = cv2.boundingRect(contour)
            if inner_only and (x <= 0 or y <= 0 or x + cw >= w or y + ch >= h):
                continue
            found.append(contour.reshape(-1, 2).astype(np.float32))
    return found


def _edge_outlines(lightness: np.ndarray, score: np.ndarray, min_area: float) -> list[np.ndarray]:
    """Outlines ((n, 2) float32) of the closed loops of edges (Canny on the
    lightness and on the paper-ness, joined by a 3 px dilation) enclosing
    at least `min_area` px²: the sheet's edge against a light table whose
    paper-ness is too close to the sheet's for the masks, the six largest."""
    paper = np.clip(score, 0, 255).astype(np.uint8)
    edges = cv2.Canny(lightness, 20, 50) | cv2.Canny(paper, 20, 50)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    contours = [c for c in contours if cv2.contourArea(c) >= min_area]
    contours = sorted(contours, key=cv2.contourArea, reverse=True)[:6]
    return [c.reshape(-1, 2).astype(np.float32) for c in contours]


def _intersect(l1, l2) -> np.ndarray | None:
    (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = l1, l2
    det = vx1 * (-vy2) - vy1 * (-vx2)
    if abs(det) < 1e-6:
        return None
    t = ((x2 - x1) * (-vy2) - (y2 - y1) * (-vx2)) / det
    return np.array([x1 + t * vx1, y1 + t * vy1], np.float32)


def _quad_from_outline(outline: np.ndarray, diag: float) -> np.ndarray | None:
    """Corners TL, TR, BR, BL ((4, 2) float32) fitted to a region's outline."""
    hull = cv2.convexHull(outline).reshape(-1, 2)
    s, d = hull.sum(axis=1), hull[:, 0] - hull[:, 1]
    rough = np.array([hull[s.argmin()], hull[d.argmax()], hull[s.argmax()], hull[d.argmin()]], np.float32)
    lines = []
    for i in range(4):
        a, b = rough[i], rough[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        if length < 1:
            return None
        u = (b - a) / length
        rel = outline - a
        along = rel @ u
        across = np.abs(rel[:, 0] * u[1] - rel[:, 1] * u[0])
        near = (along > 0.12 * length) & (along < 0.88 * length) & (across < 0.03 * diag)
        pts = outline[near]
        if len(pts) < 8:
            lines.append((u[0], u[1], a[0], a[1]))
            continue
        lines.append(tuple(float(v) for v in cv2.fitLine(pts, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()))
    corners = [_intersect(lines[i - 1], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    return np.array(corners, np.float32)


def _plausible(quad: np.ndarray, w: int, h: int) -> bool:
    """The shape checks of step 4 (module docstring)."""
    tol = 0.01 * max(w, h)
    if (quad[:, 0] < -tol).any() or (quad[:, 0] > w + tol).any() or (quad[:, 1] < -tol).any() or (quad[:, 1] > h + tol).any():
        return False
    area = cv2.contourArea(quad)
    if not 0.12 * w * h <= area <= 0.97 * w * h:
        return False
    frame = np.float32([(0, 0), (w, 0), (w, h), (0, h)])
    if (np.linalg.norm((quad - frame) / (w, h), axis=1) < 0.04).all():
        return False
    sides = [quad[(i + 1) % 4] - quad[i] for i in range(4)]
    lengths = [float(np.linalg.norm(v)) for v in sides]
    if min(lengths) < 1 or not all(0.55 <= lengths[i] / lengths[i + 2] <= 1.8 for i in range(2)):
        return False
    for i in range(4):
        a, b = -sides[i - 1], sides[i]
        cross = a[0] * b[1] - a[1] * b[0]
        if cross >= 0:  # clockwise on screen: the turn is always negative here
            return False
        angle = math.degrees(math.acos(float(np.clip(a @ b / (lengths[i - 1] * lengths[i]), -1, 1))))
        if not 60 <= angle <= 120:
            return False
        tilt = math.degrees(math.atan2(abs(b[1]), abs(b[0]))) if i % 2 == 0 else math.degrees(math.atan2(abs(b[0]), abs(b[1])))
        if tilt > 30:
            return False
    return True


def outline_fit(outline: np.ndarray, quad: np.ndarray, diag: float) -> float:
    """The share of `outline` points ((n, 2)) within 1.2 % of `diag` of the
    sides of `quad`: about 1 for a straight-edged sheet (a thumb's dent
    costs a few per cent), low for a light blob of a drawing."""
    dist = np.full(len(outline), np.inf, np.float32)
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        v = b - a
        t = np.clip(((outline - a) @ v) / max(float(v @ v), 1e-6), 0, 1)
        dist = np.minimum(dist, np.linalg.norm(outline - (a + t[:, None] * v), axis=1))
    return float(np.mean(dist < 0.012 * diag))


def _worst_angle(quad: np.ndarray) -> float:
    """The largest departure of `quad`'s corner angles from 90°, degrees."""
    worst = 0.0
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(a @ b) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-6)
        worst = max(worst, abs(math.degrees(math.acos(min(1.0, max(-1.0, cos)))) - 90))
    return worst


def side_coverage(outline: np.ndarray, quad: np.ndarray, shape: tuple[int, int]) -> float:
    """The least share, over the four sides of `quad`, of 30 points along
    the side (5–95 %) within 1.2 % of the diagonal of `outline` ((n, 2)),
    in a frame of `shape` (h, w): about 1 when the outline traces the whole
    quad, even when it also runs round a thumb or a stretch of a light
    table merged with the sheet."""
    h, w = shape
    reach = max(1, round(0.012 * math.hypot(w, h)))
    traced = np.zeros((h, w), np.uint8)
    cv2.polylines(traced, [np.rint(outline).astype(np.int32)], True, 255)
    traced = cv2.dilate(traced, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1)))
    t = np.linspace(0.05, 0.95, 30, dtype=np.float32)[:, None]
    least = 1.0
    for i in range(4):
        pts = np.rint(quad[i] + t * (quad[(i + 1) % 4] - quad[i])).astype(int)
        inside = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
        hit = traced[pts[:, 1].clip(0, h - 1), pts[:, 0].clip(0, w - 1)] > 0
        least = min(least, float(np.mean(hit & inside)))
    return least


def edge_contrast(score: np.ndarray, quad: np.ndarray) -> float:
    """The weakest side's median paper-ness step from just inside `quad`
    to just outside it (samples 1.5–3 % of the diagonal away from the
    side); -inf when a side has too few samples inside the frame."""
    h, w = score.shape
    diag = math.hypot(w, h)
    centre = quad.mean(axis=0)
    weakest = math.inf
    t = np.linspace(0.1, 0.9, 24, dtype=np.float32)[:, None]
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        v = b - a
        normal = np.array([v[1], -v[0]], np.float32) / max(float(np.linalg.norm(v)), 1e-6)
        if normal @ (centre - a) > 0:
            normal = -normal  # pointing out of the sheet
        pts = a + t * v
        inner, outer = {}, {}
        for d in (0.006, 0.015, 0.03):
            for values, sign in ((inner, -1), (outer, 1)):
                p = np.rint(pts + sign * normal * d * diag).astype(int)
                ok = (p[:, 0] >= 0) & (p[:, 0] < w) & (p[:, 1] >= 0) & (p[:, 1] < h)
                values[d] = np.where(ok, score[p[:, 1].clip(0, h - 1), p[:, 0].clip(0, w - 1)], np.nan)
        # Close to the side only when the outside stays unlike paper out to
        # 3 %: a drawn line round a flat drawing is dark only where it runs.
        with np.errstate(all="ignore"):
            near = inner[0.006] - np.fmax(np.fmax(outer[0.006], outer[0.015]), outer[0.03])
        both = np.fmax(np.fmax(inner[0.015] - outer[0.015], inner[0.03] - outer[0.03]), near)
        if np.count_nonzero(~np.isnan(both)) < 12:
            return -math.inf
        weakest = min(weakest, float(np.nanmedian(both)))
    return weakest


def _kept_quads(outlines, score, diag, w, h) -> list[tuple[float, float, np.ndarray, bool]]:
    """The plausible, clearly edged sheets among `outlines` (step 4) as (contrast, area, quad, loose)."""
    kept = []
    for outline in outlines:
        quad = _quad_from_outline(outline, diag)
        if quad is None or not _plausible(quad, w, h):
            continue
        fit = outline_fit(outline, quad, diag)
        loose = fit < MIN_OUTLINE_FIT
        if loose and (fit < LOOSE_OUTLINE_FIT or _worst_angle(quad) > LOOSE_ANGLE or side_coverage(outline, quad, (h, w)) < MIN_SIDE_COVERAGE):
            continue
        contrast = edge_contrast(score, quad)
        if contrast >= (LOOSE_EDGE_CONTRAST if loose else EDGE_CONTRAST):
            kept.append((contrast, cv2.contourArea(quad), quad, loose))
    return kept


def _table_quads(lab, score, diag, w, h) -> list[tuple[float, float, np.ndarray, float]]:
    """The sheet as the region unlike the table round it (`backdrop`), as
    [(contrast, area, quad, outline fit)] when it passes the shape, outline
    and edge checks, else []."""
    if backdrop.band_paperness(score) > backdrop.MAX_TABLE_PAPERNESS:
        return []
    found = backdrop.table_distance(lab)
    outline = backdrop.not_table_outline(*found, 0.1 * w * h) if found else None
    quad = _quad_from_outline(outline, diag) if outline is not None else None
    fit = outline_fit(outline, quad, diag) if quad is not None and _plausible(quad, w, h) else 0.0
    if fit < backdrop.MIN_OUTLINE_FIT:
        return []
    # The step from not table to table, on the table/not-table map (0/100).
    contrast = edge_contrast(np.where(found[0] > found[1], np.float32(100), np.float32(0)), quad)
    return [(contrast, cv2.contourArea(quad), quad, fit)] if contrast >= backdrop.EDGE_CONTRAST else []


def _paper_quads(lab, score, diag, w, h) -> list[tuple[float, float, np.ndarray]]:
    """The paper finder's sheet (steps 2-5) as [(contrast, area, quad)], or []."""
    paper = [o for mask in _candidate_masks(score) for o in _outlines(mask, 0.1 * w * h)]
    kept = _kept_quads(paper, score, diag, w, h)
    # The edge pass (a third of the time) only for a light table, a deep shadow, a thumb.
    if not any(contrast >= CLEAR_CONTRAST and not loose for contrast, _, _, loose in kept):
        kept += _kept_quads(_edge_outlines(lab[..., 0], score, 0.1 * w * h), score, diag, w, h)
    if not kept:
        return []
    # The largest of the clearly edged ones: the sheet, not the drawing's
    # own coloured field inside its margin.
    strongest = max(contrast for contrast, _, _, _ in kept)
    contrast, area, quad, _loose = max((k for k in kept if k[0] >= max(EDGE_CONTRAST, 0.6 * strongest)), key=lambda k: k[1])
    return [(contrast, area, quad)]


def find_sheet(image: Image.Image) -> Corners | None:
    """The corners of the sheet in `image` (an upright RGB PIL image, any
    size), normalized (TL, TR, BR, BL), or None when no sheet is found with
    confidence or the image is already a flat drawing (nothing to crop).
    Always None under `MIN_PHOTO_SIDE` px. See the module docstring
    for the method."""
    if max(image.size) < MIN_PHOTO_SIDE:
        return None
    small = cv2.GaussianBlur(_small_copy(image), (5, 5), 0)
    h, w = small.shape[:2]
    diag = math.hypot(w, h)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
    score = paperness(lab)
    # A drawing painted to its edge has no paper edge: where the table
    # stops. A clean rectangle unlike the table is the sheet whatever paper
    # lies inside or round it (and the paper passes, most of the time, are
    # spared); else the larger of the two.
    table = _table_quads(lab, score, diag, w, h)
    if table and table[0][3] >= backdrop.CLEAN_OUTLINE_FIT:
        candidates = table
    else:
        candidates = table + _paper_quads(lab, score, diag, w, h)
    if not candidates:
        return None
    best = np.clip(max(candidates, key=lambda k: k[1])[2] / (w, h), 0.0, 1.0)
    return tuple((float(x), float(y)) for x, y in best)  # type: ignore[return-value]
