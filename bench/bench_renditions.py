"""Benchmark: the portal's `imaging.render` against a naive Pillow pipeline.

    .venv/bin/python bench/bench_renditions.py            # full run
    .venv/bin/python bench/bench_renditions.py --quick    # smaller images, fewer repeats

Both pipelines run in this one process, interleaved, on the same synthetic
phone-size images (gradients, noise and drawn shapes, so the JPEG files
have realistic sizes). CPU time is `time.process_time` per image (median of
the repeats, 5 by default: the machine may be shared); images/s per core is
its inverse. Peak memory is the peak RSS (VmHWM) of a fresh child process
that renders one image once, next to the RSS of a child that only imported
the same modules.

The naive baseline: open, `ImageOps.exif_transpose` (full decode), resize
every rendition size from the full-resolution image (Pillow's default
filter, bicubic, the same the portal uses), save each in both formats with
Pillow's defaults, re-encode the original in its own format. A second
baseline ("same enc.") uses the portal's encoder settings (JPEG/WebP
quality, `imaging.WEBP_METHOD`), so the gain of the pipeline alone shows too.

The decode floor is one full-resolution decode of the upload (`Image.open`
and `load`), timed in the same interleaved loop; "x floor" is the portal's
time over it.
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
from PIL import Image, ImageDraw, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from contest import imaging  # noqa: E402

SPECS = imaging.DEFAULT_SPECS
# The portal's limit is 40 Mpx; the 48 Mpx case needs a wider one.
BENCH_POLICY = imaging.Policy(max_bytes=200_000_000, max_pixels=60_000_000)


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
    arr = np.asarray(field, dtype=np.int16)
    arr += rng.normal(0, 6, arr.shape[:2] + (1,)).astype(np.int16)  # luminance grain
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def make_cases(quick: bool) -> dict[str, tuple[bytes, str]]:
    scale = 4 if quick else 1
    w12, h12 = 4032 // scale, 3024 // scale
    w48, h48 = 8064 // scale, 6048 // scale
    photo = synthetic(w12, h12, 1)
    cases = {}
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90)
    cases[f"{w12 * h12 / 1e6:.0f} MP JPEG upright"] = (buf.getvalue(), "jpeg")

    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways, displayed portrait
    buf = io.BytesIO()
    photo.transpose(Image.Transpose.ROTATE_90).save(buf, "JPEG", quality=90, exif=exif)
    cases[f"{w12 * h12 / 1e6:.0f} MP JPEG sideways (EXIF 6)"] = (buf.getvalue(), "jpeg")

    big = synthetic(w48, h48, 2)
    buf = io.BytesIO()
    big.save(buf, "JPEG", quality=90)
    cases[f"{w48 * h48 / 1e6:.0f} MP JPEG upright"] = (buf.getvalue(), "jpeg")
    del big

    scan = synthetic(w12, h12, 3)
    buf = io.BytesIO()
    scan.save(buf, "PNG")
    cases[f"{w12 * h12 / 1e6:.0f} MP PNG scan"] = (buf.getvalue(), "png")
    return cases


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
    result = imaging.render(io.BytesIO(data), SPECS, policy=BENCH_POLICY)
    return len(result.original) + sum(len(r.data) for r in result.renditions)


def decode_floor(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        return im.width


PIPELINES = {"naive": naive, "naive_same_enc": naive_same_encoders, "portal": portal, "floor": decode_floor}


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
    parser.add_argument("--child", nargs=2, metavar=("PIPELINE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(*args.child)
        return 0

    repeats = args.repeats or (1 if args.quick else 5)
    print(f"Generating images{' (quick)' if args.quick else ''} ...", flush=True)
    cases = make_cases(args.quick)
    idle_mb = child_peak_mb("portal", "-")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, (data, _kind) in cases.items():
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
            peak = {p: child_peak_mb(p, path) for p in ("naive", "portal")}
            print(f"  {name}: naive {med['naive'] * 1000:.0f} ms, portal {med['portal'] * 1000:.0f} ms", flush=True)
            rows.append((name, pixels, len(data), med, peak))

    print()
    print(f"Repeats per case: {repeats} (median CPU time). Idle child RSS after imports: {idle_mb} MB.")
    kinds = sorted({s.kind for s in SPECS})
    print(f"Specs: {len(kinds)} kinds ({', '.join(kinds)}) × (webp, jpeg) = {len(SPECS)} renditions + stored original.")
    print(
        f"Portal encoders: JPEG q{imaging.JPEG_QUALITY}, WebP q{imaging.WEBP_QUALITY} method {imaging.WEBP_METHOD}, "
        f"re-encoded original JPEG q{imaging.ORIGINAL_QUALITY}."
    )
    columns = [
        ("case", 28), ("Mpx", 5), ("file MB", 7), ("naive ms", 8), ("same-enc ms", 11), ("portal ms", 9),
        ("naive img/s/core", 16), ("portal img/s/core", 17), ("vs naive", 8), ("vs same-enc", 11),
        ("floor ms", 8), ("x floor", 7), ("naive peak MB", 13), ("portal peak MB", 14),
    ]
    print("| " + " | ".join(f"{t:>{w}}" for t, w in columns) + " |")
    print("|" + "|".join("-" * (w + 2) for _t, w in columns) + "|")
    for name, pixels, size, med, peak in rows:
        values = [
            f"{name:28}", f"{pixels / 1e6:5.1f}", f"{size / 1e6:7.2f}", f"{med['naive'] * 1000:8.0f}",
            f"{med['naive_same_enc'] * 1000:11.0f}", f"{med['portal'] * 1000:9.0f}", f"{1 / med['naive']:16.2f}",
            f"{1 / med['portal']:17.2f}", f"{med['naive'] / med['portal']:7.2f}x",
            f"{med['naive_same_enc'] / med['portal']:10.2f}x", f"{med['floor'] * 1000:8.0f}",
            f"{med['portal'] / med['floor']:6.2f}x", f"{peak['naive']:13d}", f"{peak['portal']:14d}",
        ]
        print("| " + " | ".join(values) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
