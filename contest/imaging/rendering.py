"""`render`: the stored original and every rendition of an accepted upload,
made on the worker from one decode."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field

from .colour import to_8bit_flat, to_srgb
from .decoding import as_rejection, displayed_size, exif_orientation, open_image, upright
from .encoding import ORIGINAL_QUALITY, encode, fit, shrink, target_size
from .faces import find_faces
from .geometry import Box, Corners, Geometry
from .hashes import perceptual_hash
from .jpeg_metadata import strip_jpeg
from .masks import apply_masks
from .placeholders import blurhash_of, dominant_color
from .policy import ImageRejected, Policy, check_dimensions, size_check
from .sheet import find_sheet
from .warp import sheet_size, straighten
from .sniffing import sniff
from .specs import PHOTO_KINDS, RenderedImage, RenditionSpec
from .words import find_words

# An embedded ICC profile larger than this is not carried over to the
# stored original (one real file carries 400 KB of profile over 7 segments);
# such a file is re-encoded in sRGB instead.
MAX_KEPT_ICC_BYTES = 65_536


# The judges' zoom may come out this much short of its size when that lets
# a JPEG be decoded at half scale: a 4032×3024 phone photo decodes to
# 2016×1512 (a 1.6 % smaller zoom) at 60 % of a full decode's time.
ZOOM_DRAFT_SHARE = 0.97


def draft_size(targets: dict[RenditionSpec, tuple[int, int]], orientation: int) -> tuple[int, int]:
    """The (w, h) in stored orientation a DCT-scaled JPEG decode must at
    least reach for `targets` (spec -> upright rendition size in pixels),
    the zoom's allowed `ZOOM_DRAFT_SHARE` short; (1, 1) for none."""
    need_w, need_h = 1, 1
    for spec, (w, h) in targets.items():
        share = ZOOM_DRAFT_SHARE if spec.kind == "zoom" else 1.0
        need_w, need_h = max(need_w, math.floor(w * share)), max(need_h, math.floor(h * share))
    return displayed_size((need_w, need_h), orientation)


@dataclass
class RenderResult:
    """Output of `render`: the metadata-free original (`original`, with its
    file extension `original_ext`), the renditions, a BlurHash placeholder,
    the dominant colour as '#rrggbb', the perceptual hash (`phash`, 16 hex
    digits of imagehash's 64-bit pHash) and the upright size of the original
    in pixels. `original_reencoded` tells whether the original was re-encoded
    (False: the uploaded JPEG stream with its metadata segments dropped);
    `decoded_size` is the stored-orientation size the pixels were decoded
    at (smaller than the upload when a JPEG was DCT-scaled).

    What became of the photo: `sheet_corners`, the corners the drawing was
    straightened along (found, or the `Geometry`'s manual ones; None when
    the photo was kept as it was), `straightened`, `faces` (boxes in the
    upright photo) and `name_boxes` (boxes of written words matching the
    child's names, in the drawing as shown), both normalized."""

    original: bytes
    original_ext: str
    renditions: list[RenderedImage] = field(default_factory=list)
    placeholder: str = ""
    dominant_color: str = ""
    phash: str = ""
    width: int = 0
    height: int = 0
    original_reencoded: bool = True
    decoded_size: tuple[int, int] = (0, 0)
    sheet_corners: Corners | None = None
    straightened: bool = False
    faces: list[Box] = field(default_factory=list)
    name_boxes: list[Box] = field(default_factory=list)


def render(
    fileobj, specs: list[RenditionSpec], *, policy: Policy | None = None, geometry: Geometry | None = None
) -> RenderResult:
    """Make the stored original and the renditions of an accepted upload.

    `fileobj` is a binary file (read whole); `specs` the renditions to make
    (see `DEFAULT_SPECS`, `WORKER_SPECS`; a spec with `only_above` is
    skipped for an original not larger than that); `policy` (default `Policy()`) is re-checked on
    the header so a worker never decodes what the request would refuse.

    The original is the uploaded JPEG stream with every APPn except JFIF,
    Adobe and a small RGB ICC profile, every COM segment and everything
    after EOI removed, when that JPEG is RGB/greyscale (a turned one keeps
    its EXIF orientation alone, in a segment of its own); any other upload
    is re-encoded upright as JPEG q92 in sRGB (see ORIGINAL_QUALITY).
    Renditions are upright sRGB JPEG/WebP without metadata, transparency on
    white, the first frame of animations, never upscaled.

    `geometry` (default `Geometry()`: find the sheet, look for faces) says
    what happens to the photo before the renditions: the sheet found and
    straightened (or along manual corners, or kept as sent), masks drawn.
    Renditions of a kind in `PHOTO_KINDS` show the upright photo as sent;
    every other kind shows the drawing. The stored original is never
    straightened or masked.

    Raises `ImageRejected` (CORRUPT for data that fails to decode) and
    nothing else.
    """
    policy = policy or Policy()
    geometry = geometry or Geometry()
    try:
        return _render(fileobj, specs, policy, geometry)
    except ImageRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any decoder failure is a damaged file
        raise as_rejection(exc) from exc


def _render(fileobj, specs: list[RenditionSpec], policy: Policy, geometry: Geometry) -> RenderResult:
    data = fileobj.read()
    size_check(len(data), Policy(max_bytes=max(len(data), 1)))
    kind = sniff(data[:64])
    im = open_image(io.BytesIO(data), kind)
    check_dimensions(im.size, policy)
    orientation = exif_orientation(im)
    width, height = displayed_size(im.size, orientation)
    specs = [spec for spec in specs if spec.wanted_for((width, height))]
    targets = {spec: target_size((width, height), spec) for spec in specs}

    icc = im.info.get("icc_profile") or None
    keep_stream = kind == "JPEG" and im.mode in ("RGB", "L") and (icc is None or len(icc) <= MAX_KEPT_ICC_BYTES)
    if keep_stream:
        # DCT-scaled decode, upright or not: the small image is turned and
        # colour-converted, never the full one.
        im.draft(im.mode, draft_size(targets, orientation))
    im.load()
    decoded_size = im.size
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)  # animations: the first frame (already loaded)
    im = upright(im, orientation)
    # The working image is at draft scale for a kept JPEG stream, at full
    # scale when the original is re-encoded from it (and reduced after).
    work = to_srgb(to_8bit_flat(im), icc)
    # Pillow copies `info` through resize/convert and its JPEG encoder
    # writes `info["comment"]` back out: nothing from the upload may travel.
    work.info = {}
    if keep_stream:
        original_reencoded = False
    else:
        buf = io.BytesIO()
        work.save(buf, "JPEG", quality=ORIGINAL_QUALITY, subsampling="4:2:0" if kind == "JPEG" else "4:4:4")
        original = buf.getvalue()
        original_reencoded = True
    # A full-scale decode (PNG, WebP, HEIF, a re-encoded JPEG) larger than
    # the renditions need is box-reduced by a whole factor, as a DCT-scaled
    # decode would be: no rendition is resampled from 12 Mpx.
    need_w, need_h = draft_size(targets, 1)
    factor = min(work.width // need_w, work.height // need_h)
    if factor >= 2:
        work = work.reduce(factor)

    # The drawing: the sheet straightened (found, or along a moderator's
    # corners) unless the photo is kept as sent, then the masks.
    corners: Corners | None = None
    if geometry.mode == "manual":
        corners = geometry.corners
    elif geometry.mode == "auto":
        corners = find_sheet(work)
    faces = find_faces(work, sheet=corners) if geometry.find_faces else []
    photo_specs = [spec for spec in specs if spec.kind in PHOTO_KINDS]
    photo_renditions = [
        RenderedImage(spec.kind, spec.format, *size, encode(shrink(work, size), spec.format))
        for spec in photo_specs
        for size in [target_size(work.size, spec)]
    ]
    specs = [spec for spec in specs if spec.kind not in PHOTO_KINDS]
    drawing = work
    if corners:
        # The sheet's size at the upload's resolution decides which
        # renditions it deserves (the zoom only when it has the detail);
        # the warp goes straight to the largest of them (a 12 Mpx photo
        # is never warped whole to be shrunk afterwards).
        specs = [spec for spec in specs if spec.wanted_for(sheet_size(corners, (width, height)))]
        natural = sheet_size(corners, work.size)
        largest = max((target_size(natural, spec) for spec in specs), key=lambda s: s[0] * s[1], default=natural)
        drawing = straighten(work, corners, size=largest)
    name_boxes = find_words(drawing, geometry.names) if geometry.names else []
    drawing = apply_masks(drawing, geometry.masks)
    targets = {spec: target_size(drawing.size, spec) for spec in specs}

    renditions: list[RenderedImage] = []
    # Cascade: each size is derived from the previous, larger one. The
    # decoded image is dropped after the first step, before any encoder
    # allocates (peak memory of a 48 Mpx upload).
    sizes = sorted(set(targets.values()), key=lambda s: s[0] * s[1], reverse=True)
    source = shrink(drawing, sizes[0]) if sizes else drawing
    del im, work, drawing
    if keep_stream:
        # After the decoded image is gone: upload, decoded pixels and the
        # stripped copy never sit in memory together.
        original = strip_jpeg(data, keep_icc=True, orientation=orientation)
    del data
    for target in sizes:
        source = shrink(source, target)
        for spec in specs:
            if targets[spec] == target:
                renditions.append(RenderedImage(spec.kind, spec.format, *target, encode(source, spec.format)))
    renditions.extend(photo_renditions)
    order = {(spec.kind, spec.format): i for i, spec in enumerate(specs + photo_specs)}
    renditions.sort(key=lambda r: order[(r.kind, r.format)])

    # Placeholder and colour from a 32 px image: BlurHash only keeps 4×3
    # components. pHash from the smallest rendition, so the hash does not
    # depend on the upload's resolution.
    tiny = shrink(source, fit(source.size, 32)).convert("RGB")
    return RenderResult(
        original=original,
        original_ext="jpg",
        renditions=renditions,
        placeholder=blurhash_of(tiny),
        dominant_color=dominant_color(tiny),
        phash=perceptual_hash(source),
        width=width,
        height=height,
        original_reencoded=original_reencoded,
        decoded_size=decoded_size,
        sheet_corners=corners,
        straightened=corners is not None,
        faces=faces,
        name_boxes=name_boxes,
    )
