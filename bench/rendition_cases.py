"""The benchmark images of `bench/bench_renditions.py`: synthetic phone
photos of a drawing on a table (upright, stored sideways with EXIF
orientation 6, and both with a Display P3 profile), a 48 Mpx photo and a
flat 12 Mpx PNG scan, all made here from fixed seeds (the same files on
every machine), and the Display P3 ICC profile they carry.
"""

from __future__ import annotations

import io
import struct
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.contest.imaging_synth import synthetic_photo  # noqa: E402

# Display P3: DCI-P3 primaries, D65 white, the sRGB tone curve.
P3_PRIMARIES = ((0.680, 0.320), (0.265, 0.690), (0.150, 0.060))
D65 = (0.3127, 0.3290)
D50_XYZ = (0.9642, 1.0, 0.8249)
BRADFORD = np.array([[0.8951, 0.2664, -0.1614], [-0.7502, 1.7135, 0.0367], [0.0389, -0.0685, 1.0296]])


def _xyz(xy: tuple[float, float]) -> np.ndarray:
    x, y = xy
    return np.array([x / y, 1.0, (1 - x - y) / y])


def _colorants() -> np.ndarray:
    """The P3 primaries' XYZ (columns R, G, B) adapted to D50 (Bradford), as an ICC profile stores them."""
    primaries = np.stack([_xyz(p) for p in P3_PRIMARIES], axis=1)
    white = _xyz(D65)
    matrix = primaries * np.linalg.solve(primaries, white)
    cone = BRADFORD @ np.array(D50_XYZ) / (BRADFORD @ white)
    adapt = np.linalg.inv(BRADFORD) @ np.diag(cone) @ BRADFORD
    return adapt @ matrix


def _s15(values) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def display_p3_icc() -> bytes:
    """An ICC v2 display profile for Display P3 (about 2.3 KB): colorants,
    D50 white point, a 1024-entry sRGB curve for all three channels."""
    grid = np.linspace(0, 1, 1024)
    srgb = np.where(grid <= 0.04045, grid / 12.92, ((grid + 0.055) / 1.055) ** 2.4)
    curve = b"curv\0\0\0\0" + struct.pack(">I", 1024) + np.round(srgb * 65535).astype(">u2").tobytes()
    name = b"Display P3 (benchmark)\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    cols = _colorants()
    tags = [
        (b"desc", desc),
        (b"cprt", b"text\0\0\0\0No copyright, use freely\0"),
        (b"wtpt", b"XYZ \0\0\0\0" + _s15(D50_XYZ)),
        (b"rXYZ", b"XYZ \0\0\0\0" + _s15(cols[:, 0])),
        (b"gXYZ", b"XYZ \0\0\0\0" + _s15(cols[:, 1])),
        (b"bXYZ", b"XYZ \0\0\0\0" + _s15(cols[:, 2])),
        (b"rTRC", curve),
    ]
    offset = 128 + 4 + 12 * (len(tags) + 2)
    table, body = [], b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table.append((sig, offset + len(body), len(data)))
        body += data
    curve_entry = next(t for t in table if t[0] == b"rTRC")
    table += [(b"gTRC", *curve_entry[1:]), (b"bTRC", *curve_entry[1:])]
    size = offset + len(body)
    header = (
        struct.pack(">I", size) + b"\0\0\0\0" + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
        + _s15(D50_XYZ) + b"\0" * 48
    )
    assert len(header) == 128
    tag_table = struct.pack(">I", len(table)) + b"".join(sig + struct.pack(">II", o, n) for sig, o, n in table)
    return header + tag_table + body


def synthetic(width: int, height: int, seed: int) -> Image.Image:
    """A detailed RGB picture: smooth colour fields, fine noise, many strokes."""
    rng = np.random.default_rng(seed)
    field = Image.fromarray(rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)).resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(field)
    for i in range(400):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        size = int(rng.integers(width // 60, width // 6))
        color = tuple(int(v) for v in rng.integers(0, 255, 3))
        box = (x0, y0, x0 + size, y0 + size)
        [draw.ellipse, draw.rectangle, draw.line][i % 3](box, **({"fill": color, "width": max(2, width // 400)} if i % 3 == 2 else {"outline": color, "width": max(2, width // 300)}))
    return _grain(field, rng, 6)


def _grain(im: Image.Image, rng: np.random.Generator, sigma: float) -> Image.Image:
    arr = np.asarray(im, dtype=np.int16)
    arr = arr + rng.normal(0, sigma, arr.shape[:2] + (1,)).astype(np.int16)  # luminance grain
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def phone_photo(width: int, height: int, seed: int) -> Image.Image:
    """A phone photo of a drawing on a table, `width`×`height` px: the
    synthetic photo made at a third of the size (its maker is slow at
    12 Mpx), enlarged, with the sensor's grain at full size."""
    drawing = synthetic(width // 3, height // 3, seed)
    shot = synthetic_photo(drawing, seed=seed, size=(width // 3, height // 3), thumb=False)
    big = shot.photo.resize((width, height), Image.Resampling.BICUBIC)
    return _grain(big, np.random.default_rng(seed), 3)


def _jpeg(im: Image.Image, **options) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, **options)
    return buf.getvalue()


def make_cases(quick: bool, *, big: bool = True) -> dict[str, tuple[str, bytes]]:
    """{label: (key, file bytes)}; `key` names the case in the name=value
    lines (upright, exif6, p3, p3_exif6, 48mp, png). Quarter-size with `quick`."""
    scale = 4 if quick else 1
    w12, h12 = 4032 // scale, 3024 // scale
    mp = f"{w12 * h12 / 1e6:.0f} MP"
    photo = phone_photo(w12, h12, 1)
    sideways = photo.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways, displayed upright
    p3 = display_p3_icc()
    cases = {
        f"{mp} phone JPEG upright": ("upright", _jpeg(photo)),
        f"{mp} phone JPEG EXIF 6": ("exif6", _jpeg(sideways, exif=exif)),
        f"{mp} P3 JPEG upright": ("p3", _jpeg(photo, icc_profile=p3)),
        f"{mp} P3 JPEG EXIF 6": ("p3_exif6", _jpeg(sideways, exif=exif, icc_profile=p3)),
    }
    if big:
        cases[f"{4 * w12 * h12 / 1e6:.0f} MP phone JPEG upright"] = ("48mp", _jpeg(phone_photo(2 * w12, 2 * h12, 2)))
    buf = io.BytesIO()
    synthetic(w12, h12, 3).save(buf, "PNG")
    cases[f"{mp} PNG scan"] = ("png", buf.getvalue())
    return cases
