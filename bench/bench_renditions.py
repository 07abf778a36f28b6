"""Benchmark: the portal's `imaging.render` against a naive Pillow pipeline.

    .venv/bin/python bench/bench_renditions.py            # full run
    .venv/bin/python bench/bench_renditions.py --quick    # smaller images, fewer repeats
    .venv/bin/python bench/bench_renditions.py --no-48mp --no-peak --repeats 3   # the 12 Mpx figures

Every pipeline runs in this one process, interleaved, on the same synthetic
images (`rendition_cases.py`): a 12 Mpx phone photo of a drawing on a
table, upright and stored sideways with EXIF orientation 6, both also
with a Display P3 profile; a 48 Mpx phone photo; a flat 12 Mpx PNG scan.
CPU time is `time.process_time` per image (median of the repeats, 5 by
default: the machine may be shared); images/s per core is its inverse.
Peak memory is the peak RSS (VmHWM) of a fresh child process that renders
one image once, next to the RSS of a child that only imported the same
modules.

The portal does every step the worker does on an upload: the worker's
specs (`imaging.WORKER_SPECS`: the public set, the judges' zoom, the
moderators' photo), the sheet found and straightened, faces looked for
(name OCR, optional, is not timed); "no faces" is the same without the
face search.

The naive baseline: open, `ImageOps.exif_transpose` (full decode), resize
every rendition size from the full-resolution image (Pillow's default
filter, bicubic, the same the portal uses), save each in its format with
Pillow's defaults, re-encode the original in its own format; no colour
management, no sheet. A second baseline ("same enc.") uses the portal's
encoder settings (JPEG/WebP quality, `imaging.WEBP_METHOD`), so the gain
of the pipeline alone shows too.

Quality: the PSNR of the portal's display rendition (the pixels handed to
the encoder, photo kept as sent) against the colour-managed naive path
(full decode, turned, converted to sRGB at full size, one bicubic resize).

The decode floor is one full-resolution decode of the upload (`Image.open`
and `load`), timed in the same interleaved loop; "x floor" is the portal's
time over it. The figures end as name=value lines
(`renditions_12mp_upright_per_core=` ...).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from contest import imaging  # noqa: E402
from contest.imaging import rendering  # noqa: E402
from rendition_cases import make_cases  # noqa: E402

# What the worker makes of every upload, and what it does to the photo:
# the sheet found and straightened, faces looked for (names are read only
# when tesseract is installed and the entry has names: not timed here).
SPECS = imaging.WORKER_SPECS
GEOMETRY = imaging.Geometry(mode="auto", find_faces=True)
# The portal's limit is 40 Mpx; the 48 Mpx case needs a wider one.
BENCH_POLICY = imaging.Policy(max_bytes=200_000_000, max_pixels=60_000_000)


def naive(data: bytes, *, portal_encoders: bool = False) -> int:
    """The baseline; returns the bytes written. Pillow's defaults throughout
    (resize filter, JPEG q75, WebP q80 method 4), or with `portal_encoders`
    the portal's qualities and WebP method, to separate the two effects."""
    im = Image.open(io.BytesIO(data))
    fmt = im.format
    im = ImageOps.exif_transpose(im)
    jpeg = {"quality": imaging.JPEG_QUALITY} if portal_encoders else {}
    webp = {"quality": imaging.WEBP_QUALITY, "method": imaging.WEBP_METHOD} if portal_encoders else {}
    original = {"quality": imaging.ORIGINAL_QUALITY} if portal_encoders else {}
    written = 0
    sizes = {}
    for spec in SPECS:
        if not spec.wanted_for(im.size):
            continue
        sizes.setdefault(imaging._target_size(im.size, spec), []).append(spec.format)
    for size, formats in sizes.items():
        small = im.resize(size)
        for fmt_out in formats:
            buf = io.BytesIO()
            small.save(buf, "JPEG" if fmt_out == "jpeg" else "WEBP", **(jpeg if fmt_out == "jpeg" else webp))
            written += buf.tell()
    buf = io.BytesIO()
    if fmt == "PNG":
        im.save(buf, "PNG")
    else:
        im.save(buf, "JPEG", **original)
    return written + buf.tell()


def naive_same_encoders(data: bytes) -> int:
    return naive(data, portal_encoders=True)


def portal(data: bytes) -> int:
    result = imaging.render(io.BytesIO(data), SPECS, policy=BENCH_POLICY, geometry=GEOMETRY)
    return len(result.original) + sum(len(r.data) for r in result.renditions)


def portal_without_faces(data: bytes) -> int:
    """The portal without the face search (its cost is fixed: a 640 px cascade)."""
    geometry = imaging.Geometry(mode=GEOMETRY.mode, find_faces=False)
    result = imaging.render(io.BytesIO(data), SPECS, policy=BENCH_POLICY, geometry=geometry)
    return len(result.original) + sum(len(r.data) for r in result.renditions)


def display_psnr(data: bytes) -> float:
    """PSNR (dB) of the portal's display rendition, as handed to the
    encoder, against the colour-managed naive path: full decode, turned,
    the whole image converted to sRGB with its profile, one bicubic resize.
    The photo is kept as sent here (a straightened sheet has no naive
    counterpart)."""
    captured: dict[tuple[int, int], Image.Image] = {}
    encode = rendering.encode

    def spy(im: Image.Image, fmt: str) -> bytes:
        captured[im.size] = im.copy()
        return encode(im, fmt)

    rendering.encode = spy
    try:
        result = imaging.render(
            io.BytesIO(data), SPECS, policy=BENCH_POLICY, geometry=imaging.Geometry(mode="photo", find_faces=False)
        )
    finally:
        rendering.encode = encode
    display = next(r for r in result.renditions if r.kind == "display")
    im = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    icc = im.info.get("icc_profile")
    if icc:
        im = ImageCms.profileToProfile(im, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"), outputMode="RGB")
    reference = np.asarray(im.convert("RGB").resize((display.width, display.height)), dtype=np.float64)
    ours = np.asarray(captured[(display.width, display.height)].convert("RGB"), dtype=np.float64)
    return float(10 * np.log10(255**2 / max(((ours - reference) ** 2).mean(), 1e-9)))


def decode_floor(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return im.width


PIPELINES = {
    "naive": naive, "naive_same_enc": naive_same_encoders, "portal": portal, "portal_no_faces": portal_without_faces,
    "floor": decode_floor,
}


def cpu_seconds(fn, data: bytes) -> float:
    start = time.process_time()
    fn(data)
    return time.process_time() - start


def child_main(pipeline: str, path: str) -> None:
    data = Path(path).read_bytes() if path != "-" else b""
    if data:
        PIPELINES[pipeline](data)
    print(peak_rss_mb())


def peak_rss_mb() -> int:
    """This process's peak RSS in MiB. VmHWM starts afresh at exec, unlike
    ru_maxrss, which Linux carries over from the (big) parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def child_peak_mb(pipeline: str, path: str) -> int:
    out = subprocess.run(
        [sys.executable, __file__, "--child", pipeline, path], check=True, capture_output=True, text=True
    ).stdout
    return int(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="quarter-size images and one repeat")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--no-48mp", action="store_true", help="leave out the 48 Mpx photo")
    parser.add_argument("--no-peak", action="store_true", help="skip the peak-memory children")
    parser.add_argument("--child", nargs=2, metavar=("PIPELINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(*args.child)
        return 0

    repeats = args.repeats or (1 if args.quick else 5)
    print(f"Generating images{' (quick)' if args.quick else ''} ...", flush=True)
    cases = make_cases(args.quick, big=not args.no_48mp)
    idle_mb = 0 if args.no_peak else child_peak_mb("portal", "-")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (key, data) in cases.items():
            path = os.path.join(tmp, "case.bin")
            Path(path).write_bytes(data)
            with Image.open(io.BytesIO(data)) as im:
                pixels = im.width * im.height
            for fn in PIPELINES.values():
                fn(data)  # warm up (code paths, allocator)
            times = {p: [] for p in PIPELINES}
            for _ in range(repeats):
                for pipeline, fn in PIPELINES.items():
                    times[pipeline].append(cpu_seconds(fn, data))
            med = {p: statistics.median(t) for p, t in times.items()}
            peak = {p: 0 if args.no_peak else child_peak_mb(p, path) for p in ("naive", "portal")}
            quality = display_psnr(data)
            print(f"  {name}: naive {med['naive'] * 1000:.0f} ms, portal {med['portal'] * 1000:.0f} ms, {quality:.1f} dB", flush=True)
            rows.append((name, key, pixels, len(data), med, peak, quality))

    print()
    print(f"Repeats per case: {repeats} (median CPU time). Idle child RSS after imports: {idle_mb} MB.")
    print(
        f"Specs: {', '.join(f'{s.kind}.{s.format}' for s in SPECS)} + stored original; "
        f"geometry: sheet {GEOMETRY.mode}, faces {GEOMETRY.find_faces}."
    )
    print(
        f"Portal encoders: JPEG q{imaging.JPEG_QUALITY}, WebP q{imaging.WEBP_QUALITY} method {imaging.WEBP_METHOD}, "
        f"re-encoded original JPEG q{imaging.ORIGINAL_QUALITY}."
    )
    columns = [
        ("case", 28), ("Mpx", 5), ("file MB", 7), ("naive ms", 8), ("same-enc ms", 11), ("portal ms", 9),
        ("naive img/s/core", 16), ("portal img/s/core", 17), ("vs naive", 8), ("vs same-enc", 11),
        ("floor ms", 8), ("x floor", 7), ("PSNR dB", 7), ("naive peak MB", 13), ("portal peak MB", 14),
    ]
    print("| " + " | ".join(f"{t:>{w}}" for t, w in columns) + " |")
    print("|" + "|".join("-" * (w + 2) for _t, w in columns) + "|")
    for name, _key, pixels, size, med, peak, quality in rows:
        values = [
            f"{name:28}", f"{pixels / 1e6:5.1f}", f"{size / 1e6:7.2f}", f"{med['naive'] * 1000:8.0f}",
            f"{med['naive_same_enc'] * 1000:11.0f}", f"{med['portal'] * 1000:9.0f}", f"{1 / med['naive']:16.2f}",
            f"{1 / med['portal']:17.2f}", f"{med['naive'] / med['portal']:7.2f}x",
            f"{med['naive_same_enc'] / med['portal']:10.2f}x", f"{med['floor'] * 1000:8.0f}",
            f"{med['portal'] / med['floor']:6.2f}x", f"{quality:7.1f}", f"{peak['naive']:13d}", f"{peak['portal']:14d}",
        ]
        print("| " + " | ".join(values) + " |")
    print()
    prefix = "quick_" if args.quick else ""
    for _name, key, _pixels, _size, med, _peak, quality in rows:
        case = key if key in ("48mp", "png") else f"12mp_{key}"
        case = {"48mp": "48mp_upright", "png": "12mp_png"}.get(case, case)
        print(f"{prefix}renditions_{case}_per_core={1 / med['portal']:.2f}")
        print(f"{prefix}renditions_{case}_no_faces_per_core={1 / med['portal_no_faces']:.2f}")
        print(f"{prefix}naive_{case}_per_core={1 / med['naive']:.2f}")
        print(f"{prefix}naive_same_enc_{case}_per_core={1 / med['naive_same_enc']:.2f}")
        print(f"{prefix}decode_floor_{case}_ms={med['floor'] * 1000:.1f}")
        print(f"{prefix}renditions_{case}_vs_naive={med['naive'] / med['portal']:.2f}")
        print(f"{prefix}renditions_{case}_psnr_db={quality:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
