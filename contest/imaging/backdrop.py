"""Finding a sheet by what it is not: the table around it.

The paper finder (`sheet.find_sheet`) needs the sheet's edge to be paper,
light and colourless. A drawing painted to its very edge (a blue sky, a
green field) has no such edge, yet a photo of it on a table still shows
one outline: where the table stops. This module finds that outline.

The method (background subtraction with a colour model learnt from the
frame's border, as in document scanners that cope with full-bleed pages):

1. The frame's outer band (`BAND` of the short side) is the table: a
   phone photo of a sheet lying on a table shows the table all round it.
   Its pixels, in CIELAB with the lightness halved (a shadow or a light
   gradient changes the lightness more than the colour), are clustered in
   `CLUSTERS` colours (k-means).
2. Each pixel's distance to the nearest table colour; the table's own
   spread (the `SPREAD_PERCENTILE` of the band's distances) sets the
   threshold. Pixels further than that are "not table".
3. The not-table region with the largest convex hull (parts of the
   drawing that happen to be the table's colour leave holes) gives the outline that
   `sheet._quad_from_outline` fits a quadrilateral to.
4. Kept only when the frame's band really is one table (its colours
   spread little: `MAX_BAND_SPREAD`), the table is not paper itself
   (the paper finder's ground), the quad passes the shape checks, the
   region's outline runs along the quad, and along every side the
   inside differs from the table clearly more than the outside does
   (`sheet.edge_contrast` on the table/not-table map, ≥ `EDGE_CONTRAST`).

A flat drawing (nothing around it) has no table in its band: its band is
the drawing's own edge, many colours or paper, and step 4 refuses it.
"""

from __future__ import annotations

import cv2
import numpy as np

# The frame's outer band taken as the table, share of the short side.
BAND = 0.02
# Table colours (k-means clusters) in the band.
CLUSTERS = 4
# The band's own distances: this percentile, times `SPREAD_FACTOR`, is
# the threshold between table and not table (Lab units, lightness halved).
SPREAD_PERCENTILE = 97
SPREAD_FACTOR = 1.3
MIN_THRESHOLD = 10.0
# The closing of the not-table mask, share of the long side.
CLOSE = 0.023
# A band whose threshold exceeds this is not one table (a flat drawing's
# own many-coloured edge).
MAX_BAND_SPREAD = 40.0
# A table this paper-like (median paper-ness of the band) is left to the
# paper finder: a flat drawing on white paper has such a "table".
MAX_TABLE_PAPERNESS = 180.0
# The least step from just inside the quad to just outside, on the
# table (0) / not table (100) map: most points of every side go from not
# table inside to table outside.
EDGE_CONTRAST = 50.0
# The least share of the region's outline along the quad's sides.
MIN_OUTLINE_FIT = 0.7
# ... and this share makes it a clean rectangle, preferred to the paper
# finder's sheet (which can be a paper field inside a full-bleed drawing).
CLEAN_OUTLINE_FIT = 0.9


def table_distance(lab: np.ndarray) -> tuple[np.ndarray, float] | None:
    """The distance of every pixel of `lab` ((h, w, 3) uint8, OpenCV's
    8-bit CIELAB) to the nearest colour of the table in the frame's band,
    as ((h, w) float32, the table/not-table threshold), or None when the
    band is not one table (its colours spread over `MAX_BAND_SPREAD`)."""
    h, w = lab.shape[:2]
    band = max(2, round(BAND * min(h, w)))
    flat = lab.reshape(-1, 3).astype(np.float32)
    flat[:, 0] *= 0.5
    pixels = flat.reshape(h, w, 3)
    ring = np.concatenate(
        [pixels[:band].reshape(-1, 3), pixels[-band:].reshape(-1, 3), pixels[:, :band].reshape(-1, 3), pixels[:, -band:].reshape(-1, 3)]
    )
    sample = ring[:: max(1, len(ring) // 4000)]
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(7)
    _, _, centres = cv2.kmeans(sample, CLUSTERS, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    # |p - c|² = |p|² - 2 p·c + |c|²: one matrix product for all the
    # centres, laid out (centre, pixel) so the minimum runs over rows
    # (a tenth of the time of four per-centre passes).
    cross = (-2 * centres) @ flat.T
    cross += (centres * centres).sum(axis=1)[:, None]
    squared = cross.min(axis=0) + np.einsum("ij,ij->i", flat, flat)
    distance = np.sqrt(np.maximum(squared, 0)).reshape(h, w)
    own = np.concatenate([distance[:band].ravel(), distance[-band:].ravel(), distance[:, :band].ravel(), distance[:, -band:].ravel()])
    threshold = max(MIN_THRESHOLD, float(np.percentile(own, SPREAD_PERCENTILE)) * SPREAD_FACTOR)
    if threshold > MAX_BAND_SPREAD:
        return None
    return distance, threshold


def band_paperness(score: np.ndarray) -> float:
    """The median paper-ness (`sheet.paperness`) of the frame's band."""
    h, w = score.shape
    band = max(2, round(BAND * min(h, w)))
    ring = np.concatenate([score[:band].ravel(), score[-band:].ravel(), score[:, :band].ravel(), score[:, -band:].ravel()])
    return float(np.median(ring))


def not_table_outline(distance: np.ndarray, threshold: float, min_area: float) -> np.ndarray | None:
    """The outline ((n, 2) float32) of the region of `distance` over
    `threshold` with the largest convex hull, at least `min_area` px², or
    None."""
    mask = (distance > threshold).astype(np.uint8) * 255
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    # A wide close: strokes and patches of the table's colour at the
    # drawing's edge would otherwise fray the outline.
    reach = 2 * round(CLOSE * max(mask.shape) / 2) + 1
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    # By the hull's area: the table's edge can leave a thin, broken ring
    # round a sheet whose paper is near the table's colour.
    largest = max(contours, key=lambda c: cv2.contourArea(cv2.convexHull(c)))
    if cv2.contourArea(cv2.convexHull(largest)) < min_area:
        return None
    return largest.reshape(-1, 2).astype(np.float32)
