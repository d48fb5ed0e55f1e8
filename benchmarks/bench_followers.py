"""``microreach audit followers`` end to end: 1,000,000 follower profiles read, turned into features,
scored by the shipped model and written (CSV in → CSV out, and Parquet in → Parquet out), on one core.

Each run is a child process pinned to one CPU (``sched_setaffinity``) with one numeric thread, so the
wall time is one core's; CPU seconds are reported too (on a busy machine the wall time includes waiting
for the core). Peak memory is the child's resident set size, imports and model included; the
baseline row is that child after imports and model load, before reading anything. The model alone
(feature matrix in, probabilities out) is the ceiling.

    BENCH_FOLLOWERS_PROFILES=1000000 .venv/bin/python benchmarks/run_all.py followers
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path

PROFILES = int(os.environ.get("BENCH_FOLLOWERS_PROFILES", "1000000"))


def _write_profiles(path: Path, n: int) -> None:
    """``n`` profiles in the profile columns, a fifth of them fake-looking (the shape of a scraped export)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(0)
    fake = rng.random(n) < 0.2
    usernames = [f"user_{i}{'x' * (i % 5)}{i % 97 if fake[i] else ''}" for i in range(n)]
    frame = pl.DataFrame({"username": usernames}).with_columns(
        full_name=pl.Series(np.where(fake, "", "Jane Doe")),
        bio=pl.Series(np.where(rng.random(n) < 0.5, "", "Coffee, books and long walks")),
        followers=pl.Series(np.where(fake, rng.integers(0, 100, n), rng.integers(10, 5000, n))),
        following=pl.Series(np.where(fake, rng.integers(500, 7500, n), rng.integers(10, 1500, n))),
        posts=pl.Series(np.where(fake, rng.integers(0, 3, n), rng.integers(0, 500, n))),
        has_profile_pic=pl.Series(np.where(rng.random(n) < 0.9, "true", "false")),
        is_private=pl.Series(np.where(rng.random(n) < 0.4, "1", "0")),
        is_verified=pl.lit(""),
        external_url=pl.Series(np.where(rng.random(n) < 0.1, "https://example.org", "")),
    )
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    else:
        frame.write_csv(path)


def _pin_one_core() -> None:
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["POLARS_MAX_THREADS"] = "1"
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _score_child(in_path: str, out_path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    _pin_one_core()
    from microreach.config.loader import load_fake_model
    from microreach.evaluation.profiles import score_profiles_file

    model = load_fake_model()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    summary = score_profiles_file(Path(in_path), Path(out_path), Path(out_path + ".json"), model=model)
    queue.put(
        (
            time.perf_counter() - start_wall,
            time.process_time() - start_cpu,
            baseline,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            summary["profiles"],
        )
    )


def _model_child(in_path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    _pin_one_core()
    import polars as pl

    from microreach.config.loader import load_fake_model
    from microreach.core.profiles import feature_matrix
    from microreach.evaluation.profiles import profile_frame_to_columns

    model = load_fake_model()
    matrix = feature_matrix(
        columns=profile_frame_to_columns(pl.read_csv(in_path, infer_schema=False, n_rows=200_000))
    )
    start = time.process_time()
    for lo in range(0, matrix.shape[0], 100_000):
        model.classifier.fake_probability(matrix[lo : lo + 100_000])
    queue.put(matrix.shape[0] / (time.process_time() - start))


def _in_child(target, *args):  # type: ignore[no-untyped-def]
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    child = ctx.Process(target=target, args=(*args, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def run() -> list[tuple[str, float | str, str]]:
    rows: list[tuple[str, float | str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in ("csv", "parquet"):
            src = folder / f"profiles.{kind}"
            _write_profiles(src, PROFILES)
            wall, cpu, baseline, peak, count = _in_child(
                _score_child, str(src), str(folder / f"scores.{kind}")
            )
            label = f"{count:,} profiles, {kind} in → {kind} out"
            rows.append((f"{label}, one core", count / wall, "profiles/s wall"))
            rows.append((f"{label}, per CPU second", count / cpu, "profiles/CPU-s"))
            rows.append((f"{label}, peak memory", peak / 1024, "MiB"))
            rows.append((f"{label}, memory before reading (imports + model)", baseline / 1024, "MiB"))
        rate = _in_child(_model_child, str(folder / "profiles.csv"))
        rows.append(("the model alone (200k feature rows → probabilities), one core", rate, "profiles/CPU-s"))
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<80} {value:>14,.1f}  {unit}" if isinstance(value, float) else f"{name} {value} {unit}")
