"""Finding the sheet in a phone photo and straightening it
(`contest.imaging.sheet`, `contest.imaging.light`), on synthetic photos of
the corpus drawings (`tests/contest/imaging_synth.py`) and on the flat
drawings themselves. The corpus is required: these tests fail without it."""

import io
import math

import numpy as np
import pytest
from PIL import Image, ImageDraw

from contest import imaging
from contest.imaging.light import even_light
from contest.imaging.sheet import find_sheet
from contest.imaging.warp import sheet_size, straighten
from tests.contest.imaging_synth import synthetic_photo
from tests.helpers import corpus_dir

pytestmark = [pytest.mark.unit, pytest.mark.corpus]

PHOTO_SIZE = (1000, 750)


def corpus_drawings(n: int) -> list:
    """`n` corpus drawings spread over the whole set (every k-th file)."""
    files = sorted((corpus_dir() / "drawings").glob("drawing-*.jpg"))
    assert len(files) >= n, f"the corpus has only {len(files)} drawings"
    step = len(files) // n
    return files[::step][:n]


def grey_correlation(a: Image.Image, b: Image.Image) -> float:
    """Pearson correlation of 48×48 grey copies of `a` and `b`."""
    x = np.asarray(a.convert("L").resize((48, 48), Image.Resampling.BOX), np.float32).ravel()
    y = np.asarray(b.convert("L").resize((48, 48), Image.Resampling.BOX), np.float32).ravel()
    return float(np.corrcoef(x, y)[0, 1])


def corner_error(found, true, size=PHOTO_SIZE) -> float:
    """The largest corner distance as a share of the photo's diagonal."""
    w, h = size
    return max(math.dist((fx * w, fy * h), (tx * w, ty * h)) for (fx, fy), (tx, ty) in zip(found, true)) / math.hypot(w, h)


@pytest.mark.parametrize("margin", [0, None], ids=["drawing-is-the-sheet", "drawing-on-paper"])
def test_synthetic_photos_of_corpus_drawings_are_straightened_to_the_drawing(margin):
    drawings = corpus_drawings(40)
    good = []
    for seed, path in enumerate(drawings):
        shot = synthetic_photo(Image.open(path), seed=seed, size=PHOTO_SIZE, margin=margin)
        corners = find_sheet(shot.photo)
        if corners and (
            corner_error(corners, shot.corners) <= 0.02 or grey_correlation(straighten(shot.photo, corners), shot.sheet) >= 0.85
        ):
            good.append(path.name)
    # The measure (the grey copies match the flat drawing, or the
    # corners are within 2 % of the diagonal), target 90 %. With margin 0
    # the photographed sheet is the drawing itself (painted to its edge);
    # otherwise the drawing lies on paper with a 2-7 % margin and the flat
    # sheet is compared. Measured: see the assertion's message when it fails
    # and `bench/results/sheet.txt`. Missed: light tables near the paper's
    # colour, a deep shadow over a corner.
    assert len(good) >= 36, f"{len(good)} of {len(drawings)} straightened"


def test_a_drawing_painted_to_its_edge_is_found_by_the_table_round_it():
    path = corpus_drawings(40)[1]
    shot = synthetic_photo(Image.open(path), seed=1, size=PHOTO_SIZE, margin=0, thumb=False)
    corners = find_sheet(shot.photo)
    assert corners is not None
    assert corner_error(corners, shot.corners) <= 0.01
    assert grey_correlation(straighten(shot.photo, corners), Image.open(path)) >= 0.9


def test_flat_corpus_drawings_are_left_as_they_are():
    drawings = corpus_drawings(80)
    cropped = [p.name for p in drawings if find_sheet(Image.open(p).convert("RGB")) is not None]
    assert len(cropped) <= 0.05 * len(drawings), cropped


@pytest.mark.parametrize("index,seed", [(10, 3), (16, 1), (19, 2)])
def test_corners_found_within_two_percent_of_the_diagonal(index, seed):
    path = corpus_drawings(40)[index]
    shot = synthetic_photo(Image.open(path), seed=seed, size=PHOTO_SIZE, thumb=False)
    corners = find_sheet(shot.photo)
    assert corners is not None
    assert corner_error(corners, shot.corners) <= 0.02


def test_thumb_over_an_edge_does_not_break_the_sheet():
    path = corpus_drawings(40)[12]
    shot = synthetic_photo(Image.open(path), seed=5, size=PHOTO_SIZE, thumb=True)
    corners = find_sheet(shot.photo)
    assert shot.thumb and corners is not None
    assert corner_error(corners, shot.corners) <= 0.02


@pytest.mark.parametrize("rotation", [15, -15])
def test_sheet_turned_fifteen_degrees_is_found(rotation):
    path = corpus_drawings(40)[14]
    shot = synthetic_photo(Image.open(path), seed=7, size=PHOTO_SIZE, thumb=False, rotation=rotation)
    corners = find_sheet(shot.photo)
    assert corners is not None
    assert corner_error(corners, shot.corners) <= 0.02


def test_drawn_frame_inside_a_flat_drawing_is_not_cropped():
    im = Image.new("RGB", (900, 640), (246, 244, 238))
    draw = ImageDraw.Draw(im)
    draw.rectangle((90, 70, 810, 570), outline=(20, 20, 20), width=6)
    draw.ellipse((300, 200, 600, 450), fill=(200, 40, 40))
    assert find_sheet(im) is None


def test_small_images_and_blank_frames_are_left_as_they_are():
    assert find_sheet(Image.new("RGB", (120, 90), "white")) is None
    assert find_sheet(Image.new("RGB", (1000, 750), (240, 240, 240))) is None


def test_straighten_has_the_sheets_proportions_or_the_asked_size():
    im = Image.new("RGB", (1000, 800), (30, 30, 30))
    ImageDraw.Draw(im).polygon([(100, 100), (700, 100), (700, 524), (100, 524)], fill="white")
    corners = ((0.1, 0.125), (0.7, 0.125), (0.7, 0.655), (0.1, 0.655))
    # 600 × 424 px is within 4 % of √2: snapped to 600 × 424 (600 / √2).
    assert sheet_size(corners, im.size) == (600, 424)
    out = straighten(im, corners, even_light=False)
    assert out.size == (600, 424) and out.mode == "RGB"
    assert np.asarray(out)[5:-5, 5:-5].min() > 200  # all paper, no table
    assert straighten(im, corners, size=(300, 212)).size == (300, 212)
    assert straighten(im.convert("L"), corners).mode == "L"


def test_sheet_size_keeps_a_square_sheet_square():
    assert sheet_size(((0.2, 0.2), (0.6, 0.2), (0.6, 0.6), (0.2, 0.6)), (1000, 1000)) == (400, 400)


def test_even_light_raises_a_shadowed_paper_corner():
    h, w = 600, 800
    yy, xx = np.mgrid[0:h, 0:w]
    shade = 1 - 0.35 * (xx / w) * (yy / h)  # bottom-right corner in shadow
    paper = np.clip(240 * shade, 0, 255).astype(np.uint8)
    rgb = np.dstack([paper] * 3)
    rgb[250:350, 100:700] = (30, 30, 30)  # a stroke
    out = even_light(rgb)
    assert out[-20:, -20:].mean() > rgb[-20:, -20:].mean() + 40
    assert abs(int(out[10, 10, 0]) - int(rgb[10, 10, 0])) <= 2  # the lit corner stays
    assert out[300, 400].max() < 60  # strokes stay dark


def test_even_light_leaves_a_colourful_field_alone():
    h, w = 600, 800
    yy, xx = np.mgrid[0:h, 0:w]
    rgb = np.dstack([(xx * 255 // w), np.full((h, w), 60), (yy * 200 // h)]).astype(np.uint8)
    assert np.array_equal(even_light(rgb), rgb)


def test_render_straightens_a_photo_of_a_sheet_unless_asked_to_keep_it():
    path = corpus_drawings(40)[12]
    shot = synthetic_photo(Image.open(path), seed=5, size=(1600, 1200), thumb=False)
    buf = io.BytesIO()
    shot.photo.save(buf, "JPEG", quality=90)
    specs = imaging.DEFAULT_SPECS + imaging.PHOTO_SPECS

    auto = imaging.render(io.BytesIO(buf.getvalue()), specs)
    assert auto.straightened and corner_error(auto.sheet_corners, shot.corners, (1600, 1200)) <= 0.02
    display = next(r for r in auto.renditions if r.kind == "display" and r.format == "jpeg")
    assert grey_correlation(Image.open(io.BytesIO(display.data)), shot.sheet) >= 0.85
    photo = next(r for r in auto.renditions if r.kind == "photo")
    assert (photo.width, photo.height) == (1024, 768)

    kept = imaging.render(io.BytesIO(buf.getvalue()), specs, geometry=imaging.Geometry(mode="photo"))
    assert not kept.straightened and kept.sheet_corners is None
    display = next(r for r in kept.renditions if r.kind == "display" and r.format == "jpeg")
    assert (display.width, display.height) == (1200, 900)
