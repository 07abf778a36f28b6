"""Pure image handling: sniff and validate uploads, render renditions.

No Django in here: callers pass file objects and a `Policy`, and get plain
data back, so the benchmark and the tests can import it directly.

Two entry points with different budgets:

* `inspect` runs inside the web request. It reads the file once for the
  hash, sniffs the type from magic bytes, reads the declared size from the
  header (no pixel decoding) and then proves the data is whole as cheaply
  as the format allows (JPEG: a 1/8-scale DCT decode, which still walks all
  the entropy-coded data; PNG: every chunk's CRC up to IEND; WebP/HEIF/AVIF:
  the container's chunk/box lengths; small images of any type: a full load).
* `render` runs on the worker. It decodes once, at reduced scale when the
  format allows, orients, converts to sRGB, and makes every rendition in a
  cascade from the largest to the smallest.

Every failure of either is an `ImageRejected` with a `Reason`; no other
exception escapes, whatever the input.

The modules, each importing its siblings directly (never this package):

* `policy`: `Policy`, `Reason`, `ImageRejected`, byte and dimension limits;
* `sniffing`: the type from the magic bytes;
* `decoding`: opening with one decoder, EXIF orientation, decoder errors;
* `integrity`: proving the data whole (reduced decode, PNG and container walks);
* `inspection`: `inspect` and `ImageInfo`;
* `colour`: 8-bit, transparency on white, ICC/CMYK to sRGB;
* `specs`: `RenditionSpec`, `DEFAULT_SPECS`, `RenderedImage`;
* `encoding`: rendition sizes, downscaling, encoder settings;
* `hashes`: SHA-256 of the upload, perceptual hash;
* `placeholders`: BlurHash, dominant colour, placeholder PNG;
* `jpeg_metadata`: `strip_jpeg`;
* `geometry`: `Geometry` (what to do to the photo), `Box`, `Mask`, corners;
* `sheet`: finding the sheet in a photo and straightening it;
* `light`: evening out the light on the straightened sheet;
* `faces`: finding a person's face in a photo;
* `words`: finding the child's name written on the drawing (OCR, optional);
* `masks`: hiding regions on the renditions;
* `rendering`: `render` and `RenderResult`.
"""

from .geometry import MASK_STYLES, SHEET_MODES, Box, Corners, Geometry, Mask, corners_valid
from .encoding import (
    JPEG_QUALITY,
    ORIGINAL_QUALITY,
    WEBP_METHOD,
    WEBP_QUALITY,
    target_size,
)
from .inspection import ImageInfo, inspect
from .integrity import CHEAP_DECODE_PIXELS
from .jpeg_metadata import orientation_segment, strip_jpeg
from .placeholders import PLACEHOLDER_LONG_SIDE, placeholder_png, placeholder_size
from .policy import ImageRejected, Policy, Reason, size_check
from .rendering import MAX_KEPT_ICC_BYTES, ZOOM_DRAFT_SHARE, RenderResult, render
from .sniffing import sniff
from .specs import (
    DEFAULT_SPECS,
    DISPLAY_LONG_SIDE,
    FORMAT_EXT,
    PHOTO_KINDS,
    PHOTO_SPECS,
    WORKER_SPECS,
    ZOOM_SPECS,
    RenderedImage,
    RenditionSpec,
)
from .words import ocr_available

# The benchmark's naive pipeline sizes its renditions exactly as `render` does.
_target_size = target_size

__all__ = [
    "MASK_STYLES",
    "PHOTO_KINDS",
    "PHOTO_SPECS",
    "SHEET_MODES",
    "Box",
    "Corners",
    "Geometry",
    "Mask",
    "corners_valid",
    "ocr_available",
    "CHEAP_DECODE_PIXELS",
    "DEFAULT_SPECS",
    "DISPLAY_LONG_SIDE",
    "FORMAT_EXT",
    "JPEG_QUALITY",
    "MAX_KEPT_ICC_BYTES",
    "ORIGINAL_QUALITY",
    "PLACEHOLDER_LONG_SIDE",
    "WEBP_METHOD",
    "WEBP_QUALITY",
    "WORKER_SPECS",
    "ZOOM_DRAFT_SHARE",
    "ZOOM_SPECS",
    "ImageInfo",
    "ImageRejected",
    "Policy",
    "Reason",
    "RenderResult",
    "RenderedImage",
    "RenditionSpec",
    "inspect",
    "orientation_segment",
    "placeholder_png",
    "placeholder_size",
    "render",
    "size_check",
    "sniff",
    "strip_jpeg",
    "target_size",
]
