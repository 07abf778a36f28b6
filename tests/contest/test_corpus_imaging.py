"""`contest.imaging` against the shared corpus: every file's outcome as
MANIFEST.md states it, and for accepted files, clean and upright output.

The corpus lives outside the repository (`settings.CORPUS_DIR`); when it is
missing these tests fail, they never skip.
"""

import io
import re
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from PIL import Image

from contest import imaging
from contest.imaging.warp import sheet_size

pytestmark = [pytest.mark.unit, pytest.mark.corpus]

CORPUS = Path(settings.CORPUS_DIR)
MISSING = f"the image corpus is missing: {CORPUS} (set CORPUS_DIR or check out shared/corpus)"

# Byte strings planted in (or typical of) upload metadata; none may survive.
PRIVATE_MARKERS = [
    b"PRIVATE",
    b"CRAFTED-SN",
    b"Example Road",
    b"022070029137",
    b"Exif\x00\x00",
    b"http://ns.adobe.com/xap",
    b"Photoshop 3.0",
]


def manifest_expectations() -> dict[str, str]:
    """{'real/x.jpg': expected cell} from MANIFEST.md's `real/` and `crafted/` tables."""
    rows = {}
    section = None
    for line in (CORPUS / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (real|crafted)/", line)
        if heading:
            section = heading.group(1)
            continue
        if line.startswith("## "):
            section = None
        name = re.match(r"^\| `([^`]+)` \|", line)
        if section and name:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[f"{section}/{name.group(1)}"] = cells[-1]
    return rows


def expected_outcome(cell: str) -> tuple[str, set[str]]:
    """('ACCEPT', set()) or ('REJECT', {reasons}) from an Expected cell; a
    cell naming two reasons ('CORRUPT (or NOT_IMAGE)') allows either."""
    verdict = re.search(r"\b(ACCEPT|REJECT)\b", cell)
    assert verdict, f"no ACCEPT/REJECT in {cell!r}"
    if verdict.group(1) == "ACCEPT":
        return "ACCEPT", set()
    first_sentence = re.split(r"\.(?:\s|$)", cell[verdict.start() :], maxsplit=1)[0]
    reasons = {r.value for r in imaging.Reason if re.search(rf"\b{r.value}\b", first_sentence)}
    assert reasons, f"no reason in {cell!r}"
    return "REJECT", reasons


def corpus_cases():
    if not (CORPUS / "MANIFEST.md").is_file():
        return [pytest.param(None, None, id="corpus-missing")]
    rows = manifest_expectations()
    on_disk = sorted(f"{p.parent.name}/{p.name}" for folder in ("real", "crafted") for p in (CORPUS / folder).iterdir())
    return [pytest.param(name, rows.get(name), id=name) for name in on_disk]


def require_corpus():
    if not (CORPUS / "MANIFEST.md").is_file():
        pytest.fail(MISSING)


def render_file(path: Path) -> imaging.RenderResult:
    with path.open("rb") as fh:
        return imaging.render(fh, imaging.DEFAULT_SPECS)


def grey_thumb(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L").resize((64, 64)), dtype=np.float64)


def rendition(result: imaging.RenderResult, kind: str, fmt: str) -> imaging.RenderedImage:
    matches = [r for r in result.renditions if r.kind == kind and r.format == fmt]
    assert len(matches) == 1
    return matches[0]


def assert_no_metadata(data: bytes, label: str, *, orientation: bool = False):
    """No metadata in `data`; with `orientation` (a stored original), an EXIF
    segment holding the orientation alone is allowed, once."""
    exif = dict(Image.open(io.BytesIO(data)).getexif())
    if orientation and exif:
        assert set(exif) == {0x0112}, label
        segment = imaging.orientation_segment(exif[0x0112])
        assert data.count(segment) == 1, label
        data = data.replace(segment, b"")
    for marker in PRIVATE_MARKERS:
        assert marker not in data, f"{label} contains {marker!r}"
    im = Image.open(io.BytesIO(data))
    assert dict(im.getexif()) == {}, label
    leaked = {k for k in im.info if k in ("exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment", "mp", "mpoffset")}
    assert leaked == set(), label
    icc = im.info.get("icc_profile")
    if icc:
        assert len(icc) <= imaging.MAX_KEPT_ICC_BYTES, label
        assert icc[16:20] in (b"RGB ", b"GRAY"), label


def test_corpus_manifest_lists_every_file():
    require_corpus()
    rows = manifest_expectations()

    on_disk = {f"{p.parent.name}/{p.name}" for folder in ("real", "crafted") for p in (CORPUS / folder).iterdir()}

    assert sorted(on_disk - set(rows)) == []
    assert sorted(set(rows) - on_disk) == []
    assert len(rows) == 62


@pytest.mark.parametrize(("name", "cell"), corpus_cases())
def test_corpus_file_outcome_matches_manifest(name, cell):
    require_corpus()
    assert cell is not None, f"{name} is not in MANIFEST.md"
    verdict, reasons = expected_outcome(cell)
    path = CORPUS / name

    with path.open("rb") as fh:
        try:
            info = imaging.inspect(fh, imaging.Policy())
            outcome = ("ACCEPT", None)
        except imaging.ImageRejected as exc:
            outcome = ("REJECT", str(exc.reason))

    if verdict == "REJECT":
        assert outcome[0] == "REJECT", f"{name} was accepted, manifest says {cell!r}"
        assert outcome[1] in reasons, f"{name}: {outcome[1]} not in {sorted(reasons)}"
        return
    assert outcome == ("ACCEPT", None)
    result = render_file(path)
    assert (result.width, result.height) == (info.width, info.height)
    assert len(result.phash) == 16
    assert re.fullmatch(r"#[0-9a-f]{6}", result.dominant_color)
    assert 6 <= len(result.placeholder) <= 64
    assert sorted((r.kind, r.format) for r in result.renditions) == sorted(
        (s.kind, s.format) for s in imaging.DEFAULT_SPECS
    )
    assert_no_metadata(result.original, f"{name} original", orientation=True)
    for r in result.renditions:
        assert_no_metadata(r.data, f"{name} {r.kind}.{r.format}")
        decoded = Image.open(io.BytesIO(r.data))
        assert decoded.size == (r.width, r.height)
        assert decoded.format == {"jpeg": "JPEG", "webp": "WEBP"}[r.format]
        # The manifest's output: RGB (or grey), transparency flattened, never kept.
        assert decoded.mode in ("RGB", "L"), f"{name} {r.kind}.{r.format} is {decoded.mode}"
        assert (decoded.width >= decoded.height) == (info.width >= info.height)
    expected_size = re.search(r"(\d+)×(\d+)", cell)
    if expected_size:
        assert (info.width, info.height) == (int(expected_size.group(1)), int(expected_size.group(2)))
    lowered = cell.lower()
    if "landscape thumbnail" in lowered:
        assert info.width > info.height
    if "portrait** thumbnail" in lowered or "portrait thumbnail" in lowered:
        assert info.width < info.height


def manifest_cells() -> dict[str, tuple[str, str]]:
    """{'real/x.jpg': ('What it tests' cell, 'Expected' cell)} from MANIFEST.md."""
    rows = {}
    section = None
    for line in (CORPUS / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## (real|crafted)/", line)
        if line.startswith("## "):
            section = heading.group(1) if heading else None
        name = re.match(r"^\| `([^`]+)` \|", line)
        if section and name:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[f"{section}/{name.group(1)}"] = (cells[-2], cells[-1])
    return rows


def stated_look(what: str, expected: str) -> str | None:
    """The colour the manifest states for an accepted file's output, if any:
    'grey' (a greyscale source), 'red' (the first frame is red), 'colour'
    (an RGB thumbnail is named) or 'black on white'."""
    if not expected.startswith("ACCEPT"):
        return None
    if re.search(r"\bgr[ae]y", f"{what} {expected}", re.I):
        return "grey"
    if "(red)" in expected:
        return "red"
    if "RGB thumbnail" in expected:
        return "colour"
    if re.search(r"black \w+ on white", expected, re.I):
        return "black on white"
    return None


def stated_looks() -> dict[str, str]:
    if not (CORPUS / "MANIFEST.md").is_file():
        return {}
    return {name: look for name, cells in manifest_cells().items() if (look := stated_look(*cells))}


def test_corpus_manifest_states_these_output_colours():
    require_corpus()

    assert stated_looks() == {
        "real/pillow_hopper_gray.jpg": "grey",
        "real/pillow_hopper_bad_exif.jpg": "grey",
        "real/pillow_i_trns_16bit_grey.png": "grey",
        "real/pillow_apng_mode_16bit.png": "red",
        "real/pillow_pil_sample_cmyk.jpg": "colour",
        "real/skimage_horse.png": "black on white",
    }


@pytest.mark.parametrize(("name", "look"), sorted(stated_looks().items()) or [("corpus-missing", None)])
def test_corpus_rendition_mode_and_colour_as_manifest_states(name, look):
    require_corpus()

    result = render_file(CORPUS / name)

    outputs = [(f"{r.kind}.{r.format}", r.format, r.data) for r in result.renditions]
    for label, fmt, data in outputs + [("original", "jpeg", result.original)]:
        im = Image.open(io.BytesIO(data))
        px = np.asarray(im.convert("RGB"), dtype=np.float64)
        channel_gap = max(np.abs(px[..., 0] - px[..., 1]).mean(), np.abs(px[..., 1] - px[..., 2]).mean())
        if look == "grey":
            # Greyscale stays greyscale: a one-channel JPEG; WebP has no such mode.
            assert (im.mode, round(channel_gap, 1)) == ("L" if fmt == "jpeg" else "RGB", 0.0), (name, label)
            assert 10 < px.mean() < 245, (name, label)  # not blank
        elif look == "red":
            assert im.mode == "RGB", (name, label)
            assert np.allclose(px.reshape(-1, 3).mean(0), [255, 0, 0], atol=6), (name, label)
        elif look == "colour":
            assert (im.mode, channel_gap > 10) == ("RGB", True), (name, label)
        else:
            assert im.mode in ("RGB", "L") and channel_gap < 1, (name, label)
            corners = px[[0, 0, -1, -1], [0, -1, 0, -1]]
            assert corners.min() > 245 and np.percentile(px, 5) < 30, (name, label)


def test_corpus_orientation_samples_render_upright():
    require_corpus()
    reference = grey_thumb(rendition(render_file(CORPUS / "real/orientation_Portrait_1.jpg"), "display", "jpeg").data)
    # A wrongly turned or mirrored reference is what "not upright" looks like.
    ref_img = Image.fromarray(reference.astype(np.uint8))
    wrong = min(
        np.abs(np.asarray(ref_img.transpose(t), dtype=np.float64) - reference).mean()
        for t in (Image.Transpose.FLIP_LEFT_RIGHT, Image.Transpose.ROTATE_180, Image.Transpose.FLIP_TOP_BOTTOM)
    )

    diffs = {}
    sizes = {}
    for n in range(1, 9):
        result = render_file(CORPUS / f"real/orientation_Portrait_{n}.jpg")
        display = rendition(result, "display", "jpeg")
        sizes[n] = (display.width, display.height)
        diffs[n] = np.abs(grey_thumb(display.data) - reference).mean()

    assert sizes == {n: (800, 1200) for n in range(1, 9)}
    assert wrong > 20
    assert max(diffs.values()) < 4, diffs


def test_corpus_cmyk_jpeg_is_not_inverted():
    require_corpus()

    cmyk = render_file(CORPUS / "real/pillow_pil_sample_cmyk.jpg")
    rgb = render_file(CORPUS / "real/pillow_pil_sample_rgb_icc.jpg")

    cmyk_px = np.asarray(Image.open(io.BytesIO(rendition(cmyk, "card", "jpeg").data)).convert("RGB"), dtype=np.float64)
    rgb_px = np.asarray(Image.open(io.BytesIO(rendition(rgb, "card", "jpeg").data)).convert("RGB"), dtype=np.float64)
    # Measured once: CMYK mean (30.2, 7.1, 8.9), RGB reference (28.7, 6.4, 5.9);
    # an inverted rendering would average above 200.
    assert np.allclose(cmyk_px.reshape(-1, 3).mean(0), [30.2, 7.1, 8.9], atol=3)
    assert np.abs(cmyk_px - rgb_px).mean() < 8
    assert Image.open(io.BytesIO(cmyk.original)).mode == "RGB"


@pytest.mark.parametrize("name", ["real/pillow_transparent_rgba.png", "real/pillow_p_trns_single.png"])
def test_corpus_transparency_flattened_on_white(name):
    require_corpus()
    with Image.open(CORPUS / name) as src:
        alpha = np.asarray(src.convert("RGBA").getchannel("A"))

    result = render_file(CORPUS / name)

    largest = rendition(result, "display", "webp")
    assert (largest.width, largest.height) == (alpha.shape[1], alpha.shape[0])
    px = np.asarray(Image.open(io.BytesIO(largest.data)).convert("RGB"), dtype=np.float64)
    transparent = px[alpha == 0]
    assert transparent.size > 0
    assert transparent.mean() > 245


def test_corpus_16bit_grey_with_trns_keeps_levels_and_white_holes():
    require_corpus()
    with Image.open(CORPUS / "real/pillow_i_trns_16bit_grey.png") as src:
        raw = np.asarray(src, dtype=np.uint32)

    result = render_file(CORPUS / "real/pillow_i_trns_16bit_grey.png")

    px = np.asarray(Image.open(io.BytesIO(result.original)).convert("L"), dtype=np.float64)
    # Values 0-254 of 65535 are near black once scaled; the tRNS value 255 is a hole.
    assert px[raw == 255].mean() > 245
    assert px[raw != 255].mean() < 10


def test_corpus_heic_with_container_rotation_is_turned_once():
    require_corpus()

    result = render_file(CORPUS / "real/exifsamples_iphone_13_pro_max.HEIC")

    assert (result.width, result.height) == (3024, 4032)
    assert (rendition(result, "display", "jpeg").width, rendition(result, "display", "jpeg").height) == (900, 1200)


def test_corpus_upright_jpeg_original_kept_without_reencoding():
    require_corpus()
    path = CORPUS / "crafted/xmp_gps_comment.jpg"

    result = render_file(path)

    assert result.original_reencoded is False
    assert result.original_ext == "jpg"
    original = Image.open(io.BytesIO(result.original))
    source = Image.open(path)
    assert np.array_equal(np.asarray(original), np.asarray(source))


def test_corpus_drawings_all_accepted_and_rendered():
    require_corpus()
    paths = sorted((CORPUS / "drawings").glob("drawing-*"))
    failures = []

    for path in paths:
        try:
            with path.open("rb") as fh:
                info = imaging.inspect(fh, imaging.Policy())
            result = render_file(path)
        except imaging.ImageRejected as exc:
            failures.append((path.name, str(exc)))
            continue
        card = rendition(result, "card", "webp")
        # A photo of a sheet is shown straightened: the card is that wide.
        shown_w = sheet_size(result.sheet_corners, (info.width, info.height))[0] if result.straightened else info.width
        if (result.width, result.height) != (info.width, info.height) or card.width != min(400, shown_w):
            failures.append((path.name, "wrong size"))
        for r in [result.original, card.data]:
            if b"Exif\x00\x00" in r or b"http://ns.adobe.com/xap" in r:
                failures.append((path.name, "metadata left"))

    assert len(paths) == 401
    assert failures == []
