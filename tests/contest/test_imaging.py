"""Unit tests of `contest.imaging` on synthetic images made in the test."""

import functools
import hashlib
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageOps

from contest import imaging

pytestmark = [pytest.mark.unit]

POLICY = imaging.Policy()


def encoded(im: Image.Image, fmt: str, **params) -> io.BytesIO:
    buf = io.BytesIO()
    im.save(buf, fmt, **params)
    buf.seek(0)
    return buf


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> io.BytesIO:
    """A PNG that declares a size and holds no pixel data at all: a limit
    decided from the header must refuse it without trying to decode."""
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return io.BytesIO(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IEND", b""))


def reason_of(fileobj, policy=POLICY) -> str:
    with pytest.raises(imaging.ImageRejected) as excinfo:
        imaging.inspect(fileobj, policy)
    return str(excinfo.value.reason)


def noisy(width: int, height: int, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 255, (height, width, 3), dtype=np.uint8))


def test_inspect_declared_size_at_limit_accepted():
    fileobj = encoded(Image.new("1", (8000, 5000), 1), "PNG")

    info = imaging.inspect(fileobj, POLICY)

    assert (info.format, info.width, info.height) == ("PNG", 8000, 5000)


def test_inspect_declared_size_one_row_over_limit_refused_from_header():
    assert reason_of(png_header_only(8000, 5001)) == "TOO_LARGE"


def test_inspect_declared_size_beyond_pillow_bomb_limit_refused():
    assert reason_of(png_header_only(30000, 30000)) == "TOO_LARGE"


def test_inspect_aspect_20_to_1_accepted():
    info = imaging.inspect(encoded(Image.new("RGB", (400, 20), "red"), "PNG"), POLICY)

    assert (info.width, info.height) == (400, 20)


def test_inspect_aspect_21_to_1_refused():
    assert reason_of(encoded(Image.new("RGB", (420, 20), "red"), "PNG")) == "BAD_DIMENSIONS"


def test_inspect_min_side_accepted_at_limit():
    info = imaging.inspect(encoded(Image.new("RGB", (8, 100), "red"), "PNG"), POLICY)

    assert (info.width, info.height) == (8, 100)


def test_inspect_min_side_under_limit_refused():
    assert reason_of(encoded(Image.new("RGB", (7, 100), "red"), "PNG")) == "BAD_DIMENSIONS"


def test_inspect_bytes_over_limit_refused():
    fileobj = encoded(noisy(200, 200), "PNG")

    assert reason_of(fileobj, imaging.Policy(max_bytes=1000)) == "TOO_LARGE"


def test_size_check_empty_and_over():
    with pytest.raises(imaging.ImageRejected) as empty:
        imaging.size_check(0, POLICY)
    with pytest.raises(imaging.ImageRejected) as over:
        imaging.size_check(POLICY.max_bytes + 1, POLICY)

    imaging.size_check(POLICY.max_bytes, POLICY)
    assert (empty.value.reason, over.value.reason) == ("EMPTY", "TOO_LARGE")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "EMPTY"),
        (b"hello, this is text\n", "NOT_IMAGE"),
        (b"<!doctype html><script>alert(1)</script>", "NOT_IMAGE"),
        (b"PK\x03\x04" + b"\x00" * 40, "NOT_IMAGE"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "UNSUPPORTED_TYPE"),
        (b"%PDF-1.4\n", "UNSUPPORTED_TYPE"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 10, "CORRUPT"),
    ],
)
def test_inspect_refuses_by_content(content, reason):
    assert reason_of(io.BytesIO(content)) == reason


@pytest.mark.parametrize("fmt", ["GIF", "TIFF", "BMP", "ICO"])
def test_inspect_refuses_other_image_types(fmt):
    assert reason_of(encoded(Image.new("RGB", (64, 64), "blue"), fmt)) == "UNSUPPORTED_TYPE"


def test_inspect_reports_hash_displayed_size_and_leaves_file_open_at_start():
    exif = Image.Exif()
    exif[0x0112] = 6
    fileobj = encoded(noisy(300, 200), "JPEG", exif=exif)
    raw = fileobj.getvalue()
    fileobj.seek(100)

    info = imaging.inspect(fileobj, POLICY)

    assert info == imaging.ImageInfo(
        format="JPEG", width=200, height=300, sha256=hashlib.sha256(raw).hexdigest(), low_resolution=True
    )
    assert (fileobj.closed, fileobj.tell()) == (False, 0)


def test_inspect_low_resolution_flag_follows_shorter_side():
    info = imaging.inspect(encoded(noisy(900, 600), "JPEG"), POLICY)

    assert info.low_resolution is False


def test_inspect_truncated_jpeg_refused():
    data = encoded(noisy(1600, 1200), "JPEG").getvalue()

    assert reason_of(io.BytesIO(data[: len(data) // 2])) == "CORRUPT"


def test_inspect_truncated_big_png_refused_without_decoding():
    data = encoded(noisy(2000, 1500), "PNG", compress_level=1).getvalue()

    assert reason_of(io.BytesIO(data[: len(data) - 5000])) == "CORRUPT"


def test_inspect_truncated_big_webp_refused():
    data = encoded(noisy(2000, 1500), "WEBP", quality=50, method=0).getvalue()

    assert reason_of(io.BytesIO(data[: len(data) - 100])) == "CORRUPT"


def test_render_16bit_png_is_scaled_not_clipped():
    arr = np.full((64, 64), 32768, dtype=np.uint16)
    arr[:, :32] = 65535
    fileobj = encoded(Image.fromarray(arr), "PNG")

    result = imaging.render(fileobj, imaging.DEFAULT_SPECS)

    px = np.asarray(Image.open(io.BytesIO(result.original)).convert("L"), dtype=np.int32)
    assert abs(int(px[:, 40:].mean()) - 128) <= 2
    assert int(px[:, :24].mean()) >= 253


def test_render_big_upright_jpeg_uses_draft_and_keeps_stream():
    fileobj = encoded(noisy(4800, 3600), "JPEG", quality=80, comment=b"PRIVATE home address")

    result = imaging.render(fileobj, imaging.DEFAULT_SPECS)

    # display needs 1200×900: a 1/4-scale DCT decode is exactly enough.
    assert result.decoded_size == (1200, 900)
    assert result.original_reencoded is False
    assert b"PRIVATE" not in result.original
    assert Image.open(io.BytesIO(result.original)).size == (4800, 3600)
    sizes = {(r.kind, r.format): (r.width, r.height) for r in result.renditions}
    assert sizes == {
        ("card", "webp"): (400, 300),
        ("card", "jpeg"): (400, 300),
        ("card2x", "webp"): (800, 600),
        ("card2x", "jpeg"): (800, 600),
        ("display", "webp"): (1200, 900),
        ("display", "jpeg"): (1200, 900),
    }


def test_render_sideways_jpeg_keeps_its_stream_and_only_its_orientation():
    im = Image.new("RGB", (300, 200), "white")
    im.paste((255, 0, 0), (0, 0, 150, 200))  # left half red as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # displayed turned 90° clockwise: red on top
    exif[0x010F] = "PhoneMaker"
    fileobj = encoded(im, "JPEG", exif=exif, quality=95, comment=b"PRIVATE")

    result = imaging.render(fileobj, imaging.DEFAULT_SPECS)

    stored = Image.open(io.BytesIO(result.original))
    assert (result.original_reencoded, stored.size, result.width, result.height) == (False, (300, 200), 200, 300)
    assert dict(stored.getexif()) == {0x0112: 6}
    assert b"PhoneMaker" not in result.original and b"PRIVATE" not in result.original
    # The same pixels as sent, turned upright by any viewer.
    assert np.array_equal(np.asarray(stored), np.asarray(Image.open(encoded(im, "JPEG", quality=95))))
    out = ImageOps.exif_transpose(stored).convert("RGB")
    assert out.size == (200, 300)
    assert out.getpixel((100, 20))[0] > 200 and out.getpixel((100, 20))[1] < 60
    assert out.getpixel((100, 280)) >= (240, 240, 240)
    card = Image.open(io.BytesIO(next(r for r in result.renditions if r.kind == "card" and r.format == "jpeg").data))
    assert card.size == (200, 300) and not card.getexif()


def test_render_sideways_jpeg_is_decoded_at_reduced_scale():
    exif = Image.Exif()
    exif[0x0112] = 6
    fileobj = encoded(noisy(3600, 4800), "JPEG", quality=80, exif=exif)

    result = imaging.render(fileobj, imaging.DEFAULT_SPECS)

    # Displayed 4800×3600: display needs 1200×900, stored 900×1200, 1/4 scale.
    assert result.decoded_size == (900, 1200)
    assert (result.width, result.height) == (4800, 3600)
    assert {(r.kind, r.width, r.height) for r in result.renditions if r.format == "jpeg"} == {
        ("card", 400, 300), ("card2x", 800, 600), ("display", 1200, 900)
    }


def test_render_zoom_of_a_phone_photo_comes_from_a_half_scale_decode():
    result = imaging.render(encoded(noisy(4032, 3024), "JPEG", quality=80), imaging.WORKER_SPECS,
                            geometry=imaging.Geometry(mode="photo", find_faces=False))

    # 2016 px is within ZOOM_DRAFT_SHARE of the zoom's 2048: no full decode.
    assert result.decoded_size == (2016, 1512)
    zoom = next(r for r in result.renditions if r.kind == "zoom")
    assert (zoom.width, zoom.height) == (2016, 1512)
    assert imaging.ZOOM_DRAFT_SHARE == 0.97


def smooth(width: int, height: int) -> Image.Image:
    """A drawing-like picture: colour fields and hard-edged shapes, no noise."""
    im = Image.fromarray(np.random.default_rng(1).integers(0, 255, (4, 5, 3), dtype=np.uint8)).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    for i in range(12):
        box = (width * i // 14, height * (i % 5) // 6, width * i // 14 + width // 9, height * (i % 5) // 6 + height // 7)
        im.paste(((i * 40) % 256, (i * 90) % 256, (i * 150) % 256), box)
    return im


def psnr(a: Image.Image, b: Image.Image) -> float:
    diff = np.asarray(a.convert("RGB"), dtype=np.float64) - np.asarray(b.convert("RGB"), dtype=np.float64)
    return float(10 * np.log10(255**2 / max((diff**2).mean(), 1e-9)))


def test_render_renditions_close_to_lanczos_from_full_size_on_both_paths():
    upright = smooth(4000, 3000)
    exif = Image.Exif()
    exif[0x0112] = 8  # stored turned, displayed upright
    paths = {
        "dct-scaled": encoded(upright, "JPEG", quality=95),
        "turned": encoded(upright.transpose(Image.Transpose.ROTATE_270), "JPEG", quality=95, exif=exif),
        "full decode": encoded(upright, "PNG"),
    }

    out = {}
    for name, fileobj in paths.items():
        result = imaging.render(fileobj, imaging.DEFAULT_SPECS)

        assert result.decoded_size == {"dct-scaled": (2000, 1500), "turned": (1500, 2000), "full decode": (4000, 3000)}[name]
        for r in result.renditions:
            reference = upright.resize((r.width, r.height), Image.Resampling.LANCZOS)
            out[name, r.kind, r.format] = Image.open(io.BytesIO(r.data))
            assert psnr(out[name, r.kind, r.format], reference) > 33, (name, r.kind, r.format)
    # Every path makes the same picture (measured 42-50 dB apart).
    for spec in imaging.DEFAULT_SPECS:
        assert psnr(out["dct-scaled", spec.kind, spec.format], out["full decode", spec.kind, spec.format]) > 40
        assert psnr(out["turned", spec.kind, spec.format], out["full decode", spec.kind, spec.format]) > 40


def test_render_never_upscales_small_source():
    result = imaging.render(encoded(noisy(300, 200), "PNG"), imaging.DEFAULT_SPECS)

    assert {(r.width, r.height) for r in result.renditions} == {(300, 200)}


def test_render_rgba_on_white_and_greyscale_stays_greyscale():
    rgba = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    grey = Image.new("L", (100, 100), 90)

    flat = imaging.render(encoded(rgba, "PNG"), imaging.DEFAULT_SPECS)
    gray = imaging.render(encoded(grey, "JPEG"), imaging.DEFAULT_SPECS)

    assert Image.open(io.BytesIO(flat.renditions[0].data)).convert("RGB").getpixel((50, 50)) >= (250, 250, 250)
    assert Image.open(io.BytesIO(gray.original)).mode == "L"
    assert abs(Image.open(io.BytesIO(gray.original)).getpixel((50, 50)) - 90) <= 2


def test_render_corrupt_data_raises_rejection():
    data = encoded(noisy(640, 480), "JPEG").getvalue()

    with pytest.raises(imaging.ImageRejected) as excinfo:
        imaging.render(io.BytesIO(data[:3000]), imaging.DEFAULT_SPECS)

    assert excinfo.value.reason == "CORRUPT"


def test_render_phash_is_stable_across_sizes():
    big = noisy(64, 48).resize((1600, 1200), Image.Resampling.BICUBIC)

    a = imaging.render(encoded(big, "JPEG", quality=90), imaging.DEFAULT_SPECS)
    b = imaging.render(encoded(big.resize((800, 600)), "JPEG", quality=70), imaging.DEFAULT_SPECS)

    distance = bin(int(a.phash, 16) ^ int(b.phash, 16)).count("1")
    assert len(a.phash) == 16
    assert distance <= 6


def test_strip_jpeg_drops_metadata_keeps_scan_data():
    exif = Image.Exif()
    exif[0x013B] = "PRIVATE artist"
    src = noisy(64, 64)
    data = encoded(src, "JPEG", exif=exif, comment=b"PRIVATE comment", quality=90).getvalue()

    stripped = imaging.strip_jpeg(data)

    assert b"PRIVATE" not in stripped
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(stripped))), np.asarray(Image.open(io.BytesIO(data))))


@pytest.mark.parametrize("jfif", [True, False])
def test_strip_jpeg_carries_the_orientation_alone(jfif):
    exif = Image.Exif()
    exif[0x0112] = 8
    exif[0x013B] = "PRIVATE artist"
    buf = io.BytesIO()
    noisy(64, 48).save(buf, "JPEG", exif=exif, quality=90)
    data = buf.getvalue()
    if not jfif:
        assert data[2:4] == b"\xff\xe0"
        data = data[:2] + data[4 + struct.unpack(">H", data[4:6])[0]:]

    stripped = imaging.strip_jpeg(data, orientation=8)

    assert b"PRIVATE" not in stripped
    # JFIF APP0 first when there is one, then the orientation's own APP1.
    marker_after_soi = stripped[2:4]
    assert marker_after_soi == (b"\xff\xe0" if jfif else b"\xff\xe1")
    assert stripped.count(b"Exif\x00\x00") == 1
    out = Image.open(io.BytesIO(stripped))
    assert dict(out.getexif()) == {0x0112: 8}
    assert np.array_equal(np.asarray(out), np.asarray(Image.open(io.BytesIO(data))))
    with pytest.raises(ValueError):
        imaging.strip_jpeg(data, orientation=9)


def test_default_specs_cover_every_kind_in_both_formats():
    assert [(s.kind, s.format, s.width, s.long_side) for s in imaging.DEFAULT_SPECS] == [
        ("card", "webp", 400, 0),
        ("card", "jpeg", 400, 0),
        ("card2x", "webp", 800, 0),
        ("card2x", "jpeg", 800, 0),
        ("display", "webp", 0, 1200),
        ("display", "jpeg", 0, 1200),
    ]


# ---------------------------------------------------------------------------
# Phone-size photos in every accepted format, and damage that only a decode sees

PHONE_SIZES = [(2000, 1500), (4032, 3024)]
PHONE_FORMATS = ["WEBP", "PNG", "HEIF", "AVIF"]
# Fast encoder settings: the tests need the sizes, not the quality.
ENCODE_PARAMS = {
    "WEBP": {"quality": 60, "method": 0},
    "PNG": {"compress_level": 1},
    "HEIF": {"quality": 40, "enc_params": {"preset": "ultrafast"}},
    "AVIF": {"quality": 40, "speed": 10},
    "JPEG": {"quality": 85},
}


@functools.lru_cache(maxsize=None)
def phone_photo(fmt: str, width: int, height: int, detailed: bool = False) -> bytes:
    """A `fmt` file of `width` × `height`: a gradient with a little texture
    (`detailed`: noise all over, so the pixel data is large)."""
    if detailed:
        im = noisy(width, height)
    else:
        y, x = np.mgrid[0:height, 0:width]
        im = Image.fromarray(
            np.stack([x * 255 // width, y * 255 // height, (x // 7 + y // 5) % 256], -1).astype(np.uint8)
        )
    return encoded(im, fmt, **ENCODE_PARAMS[fmt]).getvalue()


@pytest.mark.parametrize("fmt", PHONE_FORMATS)
@pytest.mark.parametrize("size", PHONE_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_inspect_accepts_phone_size_photo_in_every_format(fmt, size):
    fileobj = io.BytesIO(phone_photo(fmt, *size))

    info = imaging.inspect(fileobj, POLICY)

    assert (info.format, info.width, info.height, info.low_resolution) == (fmt, *size, False)
    assert fileobj.tell() == 0


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        chunks.append((kind, data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def png_rebuilt(chunks: list[tuple[bytes, bytes]], idat: bytes) -> io.BytesIO:
    """The PNG with its IDAT data replaced by `idat` (one chunk), every CRC valid."""
    out = [b"\x89PNG\r\n\x1a\n"]
    for kind, body in chunks:
        if kind == b"IDAT":
            if idat is not None:
                out.append(png_chunk(b"IDAT", idat))
                idat = None
        else:
            out.append(png_chunk(kind, body))
    return io.BytesIO(b"".join(out))


def damaged_png(damage: str) -> io.BytesIO:
    """A 2000×1500 RGB PNG whose pixel data is damaged but whose chunk
    lengths and CRCs are all valid."""
    chunks = png_chunks(phone_photo("PNG", 2000, 1500, detailed=True))
    stream = b"".join(body for kind, body in chunks if kind == b"IDAT")
    raw = zlib.decompress(stream)
    stride = 1 + 2000 * 3
    if damage == "flipped bytes":
        middle = len(stream) // 2
        idat = stream[:middle] + bytes(b ^ 0x55 for b in stream[middle : middle + 64]) + stream[middle + 64 :]
    elif damage == "cut stream":
        idat = stream[: len(stream) * 2 // 3]
    elif damage == "rows missing":
        idat = zlib.compress(raw[: stride * 1400])
    elif damage == "bad filter type":
        idat = zlib.compress(raw[: stride * 700] + b"\x07" + raw[stride * 700 + 1 :])
    else:
        raise AssertionError(damage)
    return png_rebuilt(chunks, idat)


@pytest.mark.parametrize("damage", ["flipped bytes", "cut stream", "bad filter type"])
def test_inspect_refuses_big_png_that_only_fails_on_full_decode(damage):
    fileobj = damaged_png(damage)
    Image.open(io.BytesIO(fileobj.getvalue())).verify()  # every chunk and CRC is fine
    with pytest.raises((OSError, ValueError, zlib.error)):
        with Image.open(io.BytesIO(fileobj.getvalue())) as im:
            im.load()

    assert reason_of(fileobj) == "CORRUPT"


def test_inspect_refuses_big_png_whose_whole_stream_lacks_rows():
    fileobj = damaged_png("rows missing")
    with Image.open(io.BytesIO(fileobj.getvalue())) as im:
        im.load()  # Pillow does not complain: the missing rows come out black
        bottom = np.asarray(im)[1400:]

    assert bottom.max() == 0
    assert reason_of(fileobj) == "CORRUPT"


def test_inspect_big_interlaced_png_accepted_and_cut_one_refused():
    chunks = png_chunks(phone_photo("PNG", 2000, 1500, detailed=True))
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    im = Image.frombytes("RGB", (2000, 1500), b"".join(raw[r * 6001 + 1 : (r + 1) * 6001] for r in range(1500)))
    # Pillow cannot write Adam7; build the passes by hand (filter type 0).
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    arr = np.asarray(im)
    interlaced = b"".join(
        b"".join(b"\x00" + row.tobytes() for row in arr[y0::dy, x0::dx]) for x0, y0, dx, dy in passes
    )
    header = [(b"IHDR", struct.pack(">IIBBBBB", 2000, 1500, 8, 2, 0, 0, 1)), (b"IDAT", b""), (b"IEND", b"")]
    whole = png_rebuilt(header, zlib.compress(interlaced, 1))
    cut = png_rebuilt(header, zlib.compress(interlaced[:-6001], 1))

    info = imaging.inspect(whole, POLICY)

    assert (info.format, info.width, info.height) == ("PNG", 2000, 1500)
    assert reason_of(cut) == "CORRUPT"


def riff_with_cut_vp8(data: bytes) -> io.BytesIO:
    """The WebP with its VP8 data cut to 90 %, chunk and RIFF lengths made to match."""
    assert data[12:16] == b"VP8 "
    keep = (struct.unpack_from("<I", data, 16)[0] * 9 // 10) & ~1
    out = bytearray(data[: 20 + keep])
    struct.pack_into("<I", out, 16, keep)
    struct.pack_into("<I", out, 4, len(out) - 8)
    return io.BytesIO(bytes(out))


def isobmff_damaged(data: bytes, damage: str) -> io.BytesIO:
    """The HEIF/AVIF with its last box (mdat) cut in half and its length made
    to match ('cut'), or a quarter of it zeroed ('zeroed')."""
    pos = 0
    while pos + struct.unpack_from(">I", data, pos)[0] < len(data):
        pos += struct.unpack_from(">I", data, pos)[0]
    assert data[pos + 4 : pos + 8] == b"mdat"
    out = bytearray(data)
    size = len(data) - pos
    if damage == "cut":
        out = out[: pos + size // 2]
        struct.pack_into(">I", out, pos, size // 2)
    else:
        out[pos + size // 2 : pos + size * 3 // 4] = bytes(size * 3 // 4 - size // 2)
    return io.BytesIO(bytes(out))


@pytest.mark.parametrize(
    "fmt,damage",
    [("WEBP", riff_with_cut_vp8), ("HEIF", lambda d: isobmff_damaged(d, "cut")), ("AVIF", lambda d: isobmff_damaged(d, "zeroed"))],
    ids=["webp-cut-vp8", "heif-cut-mdat", "avif-zeroed-mdat"],
)
def test_inspect_refuses_big_file_with_whole_container_that_fails_decode(fmt, damage):
    fileobj = damage(phone_photo(fmt, 2000, 1500, detailed=True))
    with Image.open(io.BytesIO(fileobj.getvalue())) as im:  # the header reads fine
        assert im.size == (2000, 1500)
        with pytest.raises((OSError, ValueError, RuntimeError)):
            im.load()

    assert reason_of(fileobj) == "CORRUPT"
