"""Benchmark: finding the sheet in a phone photo and straightening it.

    .venv/bin/python bench/bench_sheet.py            # 40 drawings, 5 timed 12 MP photos
    .venv/bin/python bench/bench_sheet.py --n 60 --timed 8

Method. Synthetic phone photos (`tests/contest/imaging_synth.py`: a corpus
drawing on a sheet, turned up to ±15° with a random perspective, 35–80 %
of the frame, textured tables, light gradient and shadow, a thumb in one
photo of three, JPEG) are made from `--n` corpus drawings spread over the
set (every k-th file, seed = its rank), at 1000 × 750 px (the sheet is
looked for in a 480 px copy whatever the size, so the shares do not
depend on it). Printed `name=value` lines:

* `sheet_straightened_share`: photos of the drawing itself as the sheet
  (painted to its edge, `margin=0`) whose straightened sheet matches the
  flat drawing (Pearson correlation of 48 × 48 grey copies ≥ 0.85, or every
  found corner within 2 % of the diagonal of the true one: the issue's
  measure); `table_<kind>=straightened/photos` per kind of table;
* `sheet_on_paper_straightened_share`: the same drawings on a sheet of
  paper with a 2–7 % margin, against the flat sheet;
* `sheet_corner_error_median`: the found corners' largest distance from
  the true ones, share of the diagonal, median over the photos found;
* `flat_kept_share`: every corpus drawing as it is (no background): the
  share `find_sheet` leaves alone (returns None);
* `sheet_ms_per_12mp`: what finding and straightening the sheet adds to
  the worker's rendering of a 12 MP photo: `render_12mp_straightened_ms`
  minus `render_12mp_ms` per photo, median (the warp to the largest
  rendition's size replaces the first 12 MP shrink of the cascade, so the
  steps cost less inside the worker than alone);
* `sheet_steps_ms_per_12mp`: the steps alone on `--timed` of the photos
  upscaled to 4032 × 3024 (the worker decodes an upright 12 MP JPEG whole,
  since the zoom needs 2048 px): `find_sheet` plus `straighten` to the
  largest rendition's size with the light evened, wall time, median over
  photos of the best of 3; `find_ms`, `warp_ms` (crop, copy to numpy and warp), `light_ms`
  (`even_light` on the warped sheet): medians of 5 runs per photo, wall
  and `time.process_time` (`*_cpu_ms`);
* `render_12mp_ms` / `render_12mp_straightened_ms`: `imaging.render` of
  the same 12 MP JPEGs with `WORKER_SPECS`, kept as sent
  (`Geometry(mode="photo")`) and found and straightened (`auto`), wall
  time, medians of the best of 3, interleaved in one run.

The corpus is `CORPUS_DIR` (default ../shared/corpus); the run fails when
it is missing. Results of a run: `bench/results/sheet.txt`.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from contest import imaging  # noqa: E402
from contest.imaging.encoding import target_size  # noqa: E402
from contest.imaging.light import even_light  # noqa: E402
from contest.imaging.sheet import find_sheet  # noqa: E402
from contest.imaging.warp import sheet_size, straighten  # noqa: E402
from tests.contest.imaging_synth import synthetic_photo  # noqa: E402

CORPUS = Path(os.environ.get("CORPUS_DIR", ROOT.parent / "shared" / "corpus"))


def grey_correlation(a: Image.Image, b: Image.Image) -> float:
    x = np.asarray(a.convert("L").resize((48, 48), Image.Resampling.BOX), np.float32).ravel()
    y = np.asarray(b.convert("L").resize((48, 48), Image.Resampling.BOX), np.float32).ravel()
    return float(np.corrcoef(x, y)[0, 1])


def best_of(fn, repeats: int = 3) -> float:
    """The fastest of `repeats` calls of `fn`, in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def timed(fn, repeats: int = 5) -> tuple[float, float, object]:
    """Median wall and process time of `repeats` calls of `fn` (ms), and
    its last result."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--timed", type=int, default=5)
    args = parser.parse_args()
    files = sorted(p for p in (CORPUS / "drawings").glob("drawing-*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    if len(files) < args.n:
        sys.exit(f"the image corpus is missing or too small at {CORPUS}")
    chosen = files[:: len(files) // args.n][: args.n]

    good, errors, shots, tables = 0, [], [], {}
    on_paper = 0
    for seed, path in enumerate(chosen):
        for margin in (0, None):
            shot = synthetic_photo(Image.open(path), seed=seed, size=(1000, 750), margin=margin)
            corners = find_sheet(shot.photo)
            ok = False
            if corners:
                error = max(math.dist((a * 1000, b * 750), (x * 1000, y * 750)) for (a, b), (x, y) in zip(corners, shot.corners)) / 1250
                ok = error <= 0.02 or grey_correlation(straighten(shot.photo, corners), shot.sheet) >= 0.85
            if margin is None:
                on_paper += ok
                continue
            errors += [error] if corners else []
            good += ok
            shots += [shot] if ok else []
            table = tables.setdefault(shot.table.replace(" ", "_"), [0, 0])
            table[0] += ok
            table[1] += 1
    kept = sum(find_sheet(Image.open(p).convert("RGB")) is None for p in files)

    specs = imaging.WORKER_SPECS
    policy = imaging.Policy(max_bytes=200_000_000, max_pixels=60_000_000)
    sheet_ms, plain_ms, straight_ms = [], [], []
    steps_ms = {"find": [], "find_cpu": [], "warp": [], "warp_cpu": [], "light": [], "light_cpu": []}
    for shot in shots[: args.timed]:
        big = shot.photo.resize((4032, 3024), Image.Resampling.BICUBIC)
        buf = io.BytesIO()
        big.save(buf, "JPEG", quality=90)
        data = buf.getvalue()

        def steps(big=big):
            corners = find_sheet(big)
            if corners:
                natural = sheet_size(corners, big.size)
                size = max((target_size(natural, s) for s in specs if s.kind not in imaging.PHOTO_KINDS), key=lambda s: s[0] * s[1])
                straighten(big, corners, size=size)

        sheet_ms.append(best_of(steps))
        wall, cpu, corners = timed(lambda big=big: find_sheet(big))
        steps_ms["find"].append(wall)
        steps_ms["find_cpu"].append(cpu)
        natural = sheet_size(corners, big.size)
        size = max((target_size(natural, s) for s in specs if s.kind not in imaging.PHOTO_KINDS), key=lambda s: s[0] * s[1])
        wall, cpu, flat = timed(lambda big=big, corners=corners, size=size: straighten(big, corners, size=size, even_light=False))
        steps_ms["warp"].append(wall)
        steps_ms["warp_cpu"].append(cpu)
        arr = np.asarray(flat)
        wall, cpu, _ = timed(lambda arr=arr: even_light(arr))
        steps_ms["light"].append(wall)
        steps_ms["light_cpu"].append(cpu)
        plain_ms.append(best_of(lambda: imaging.render(io.BytesIO(data), specs, policy=policy, geometry=imaging.Geometry(mode="photo", find_faces=False))))
        straight_ms.append(best_of(lambda: imaging.render(io.BytesIO(data), specs, policy=policy, geometry=imaging.Geometry(find_faces=False))))

    print(f"drawings={len(chosen)}")
    print(f"sheet_straightened_share={good / len(chosen):.3f}")
    print(f"sheet_on_paper_straightened_share={on_paper / len(chosen):.3f}")
    for kind, (straightened, photos) in sorted(tables.items()):
        print(f"table_{kind}={straightened}/{photos}")
    print(f"sheet_corner_error_median={statistics.median(errors) if errors else float('nan'):.4f}")
    print(f"flat_drawings={len(files)}")
    print(f"flat_kept_share={kept / len(files):.3f}")
    print(f"timed_photos={len(sheet_ms)}")
    print(f"sheet_ms_per_12mp={statistics.median(b - a for a, b in zip(plain_ms, straight_ms)):.1f}")
    print(f"sheet_steps_ms_per_12mp={statistics.median(sheet_ms):.1f}")
    for step, values in steps_ms.items():
        print(f"{step}_ms={statistics.median(values):.1f}")
    print(f"render_12mp_ms={statistics.median(plain_ms):.1f}")
    print(f"render_12mp_straightened_ms={statistics.median(straight_ms):.1f}")


if __name__ == "__main__":
    main()
