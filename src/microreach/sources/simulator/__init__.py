"""A seeded, realistic simulated social network with planted fraud, written in the import format.

``simulate`` writes one file per record type (docs/data-format.md), chunk by chunk with flat memory,
plus ``ground_truth.jsonl`` (one line per account: the fraud planted in it), ``ground_truth_followers``
(which sampled followers are fake) and ``world.json`` (parameters and row counts). The same arguments
always give byte-identical files. ``simulate_in_memory`` returns the same world as records, for tests
and demos. Full worlds also hold the campaign side (``simulator.campaigns``): brands, campaigns in
every state, applications, shipments, drafts, messages, sales and the published campaign posts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq

from microreach.sources.frames import frame_to_records
from microreach.sources.reader_base import FileFormat
from microreach.sources.simulator.campaigns import CAMPAIGN_RECORD_TYPES, AttachedBrand
from microreach.sources.simulator.difficulty import DIFFICULTIES, Difficulty, difficulty_named
from microreach.sources.simulator.world import Chunk, generate_chunk
from microreach.sources.writers import RecordFileWriter

DEFAULT_AS_OF = date(2025, 9, 30)
CHUNK_CREATORS = 1_000
PROFILE_CHUNK_CREATORS = 50_000

# File stem per record type in a simulated world's directory.
FILE_STEMS: dict[str, str] = {
    "account": "accounts",
    "post": "posts",
    "comment": "comments",
    "follower": "followers",
    "follower_count": "follower_counts",
    "audience": "audience",
    "post_snapshot": "post_snapshots",
    "brand": "brands",
    "campaign": "campaigns",
    "application": "applications",
    "shipment": "shipments",
    "draft": "drafts",
    "message": "messages",
    "sale": "sales",
    "campaign_post": "campaign_posts",
}

__all__ = [
    "CAMPAIGN_RECORD_TYPES",
    "DEFAULT_AS_OF",
    "DIFFICULTIES",
    "FILE_STEMS",
    "AttachedBrand",
    "Difficulty",
    "SimulatedWorld",
    "SimulationSummary",
    "simulate",
    "simulate_in_memory",
]


@dataclass(frozen=True, slots=True)
class SimulationSummary:
    """Where a simulated world was written and how many rows each file holds."""

    out_dir: Path
    files: dict[str, Path]
    rows: dict[str, int]
    creators: int
    accounts: int
    ground_truth: Path | None
    follower_truth: Path | None
    manifest: Path


@dataclass(frozen=True, slots=True)
class SimulatedWorld:
    """A small simulated world as ``core.records`` lists plus the ground truth per account."""

    accounts: list[Any]
    posts: list[Any]
    comments: list[Any]
    followers: list[Any]
    follower_counts: list[Any]
    audience: list[Any]
    post_snapshots: list[Any]
    ground_truth: list[dict[str, object]]
    fake_followers: set[tuple[str, str, str]] = field(default_factory=set)
    # record type -> records, for the campaign side (brand, campaign, application...)
    campaign_side: dict[str, list[Any]] = field(default_factory=dict)


def _chunks(
    *,
    creators: int,
    seed: int,
    as_of: date,
    difficulty: Difficulty,
    profiles_only: bool,
    follower_sample: int,
    campaigns: bool = False,
    attach_brand: AttachedBrand | str | None = None,
    follower_style: str = "legacy",
) -> Iterator[Chunk]:
    size = PROFILE_CHUNK_CREATORS if profiles_only else CHUNK_CREATORS
    for index, start in enumerate(range(0, creators, size)):
        yield generate_chunk(
            seed=seed,
            chunk_index=index,
            creator_start=start,
            creator_count=min(size, creators - start),
            as_of=as_of,
            difficulty=difficulty,
            profiles_only=profiles_only,
            follower_sample=follower_sample,
            campaigns=campaigns,
            attach_brand=attach_brand,
            follower_style=follower_style,
        )


def simulate(
    out_dir: str | Path,
    *,
    creators: int,
    seed: int = 0,
    profiles_only: bool = False,
    difficulty: str | Difficulty = "normal",
    file_format: FileFormat | str = FileFormat.PARQUET,
    as_of: date = DEFAULT_AS_OF,
    follower_sample: int = 40,
    on_progress: Callable[[int, int], None] | None = None,
    campaigns: bool | None = None,
    attach_brand: AttachedBrand | str | None = None,
    follower_style: str = "legacy",
) -> SimulationSummary:
    """Write a simulated world of ``creators`` creators (about 1.25 accounts each) to ``out_dir``.

    ``profiles_only`` writes accounts only (for discovery benchmarks at a million profiles).
    ``campaigns`` (default: on unless ``profiles_only``) adds the campaign side: brands, campaigns in
    every state, applications, shipments, drafts, messages, sales and the published campaign posts
    (``post`` and ``post_snapshot`` rows of the creators' accounts, linked by ``campaign_post`` rows).
    ``attach_brand`` gives the first simulated brand an existing brand key instead (no ``brand`` row is
    written for it): its campaigns then belong to that brand once imported; an ``AttachedBrand`` also
    gives them that brand's name, account mention and topic.
    ``difficulty`` is easy, normal or hard (how loud the planted fraud is). ``as_of`` is the last day of
    the world: histories cover the 90 days before it. ``on_progress(creators_done, creators)`` is called
    after each chunk.
    """
    if creators < 1:
        raise ValueError("creators must be at least 1")
    chosen = difficulty_named(difficulty)
    chosen_format = FileFormat(file_format)
    with_campaigns = (not profiles_only) if campaigns is None else campaigns
    if with_campaigns and profiles_only:
        raise ValueError("a profiles-only world has no posts to run campaigns with")
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    if profiles_only:
        record_types = ["account"]
    else:
        record_types = [t for t in FILE_STEMS if with_campaigns or t not in CAMPAIGN_RECORD_TYPES]
    files = {name: target / f"{FILE_STEMS[name]}.{chosen_format.value}" for name in record_types}
    writers = {
        name: RecordFileWriter(path, record_type=name, file_format=chosen_format)
        for name, path in files.items()
    }
    truth_path = None if profiles_only else target / "ground_truth.jsonl"
    follower_truth_path = None if profiles_only else target / "ground_truth_followers.parquet"
    truth_file = truth_path.open("w", encoding="utf-8") if truth_path else None
    follower_truth_writer = None
    accounts = 0
    done = 0
    try:
        for chunk in _chunks(
            creators=creators,
            seed=seed,
            as_of=as_of,
            difficulty=chosen,
            profiles_only=profiles_only,
            follower_sample=follower_sample,
            campaigns=with_campaigns,
            attach_brand=attach_brand,
            follower_style=follower_style,
        ):
            for name, frame in chunk.frames.items():
                writers[name].write_frame(frame)
            accounts += chunk.frames["account"].height
            if truth_file is not None:
                for line in chunk.ground_truth:
                    truth_file.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            if follower_truth_path is not None and chunk.follower_truth is not None:
                table = chunk.follower_truth.to_arrow()
                if follower_truth_writer is None:
                    follower_truth_writer = pq.ParquetWriter(
                        follower_truth_path, table.schema, compression="zstd"
                    )
                follower_truth_writer.write_table(table)
            done += chunk.frames["account"].select(pl.col("creator_key").n_unique()).item()
            if on_progress is not None:
                on_progress(done, creators)
    finally:
        for writer in writers.values():
            writer.close()
        if truth_file is not None:
            truth_file.close()
        if follower_truth_writer is not None:
            follower_truth_writer.close()
    rows = {name: writer.rows_written for name, writer in writers.items()}
    manifest = target / "world.json"
    manifest.write_text(
        json.dumps(
            {
                "generator": "microreach.sources.simulator",
                "seed": seed,
                "creators": creators,
                "accounts": accounts,
                "profiles_only": profiles_only,
                "campaigns": with_campaigns,
                "attach_brand": asdict(attach_brand)
                if isinstance(attach_brand, AttachedBrand)
                else attach_brand,
                "difficulty": chosen.name,
                "as_of": as_of.isoformat(),
                "format": chosen_format.value,
                "files": {name: path.name for name, path in files.items()},
                "rows": rows,
                "ground_truth": truth_path.name if truth_path else None,
                "follower_truth": follower_truth_path.name if follower_truth_path else None,
            },
            indent=2,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    return SimulationSummary(
        out_dir=target,
        files=files,
        rows=rows,
        creators=creators,
        accounts=accounts,
        ground_truth=truth_path,
        follower_truth=follower_truth_path,
        manifest=manifest,
    )


def simulate_in_memory(
    *,
    creators: int,
    seed: int = 0,
    difficulty: str | Difficulty = "normal",
    as_of: date = DEFAULT_AS_OF,
    follower_sample: int = 40,
    campaigns: bool = True,
    follower_style: str = "legacy",
) -> SimulatedWorld:
    """The world ``simulate`` would write for the same arguments, as record lists (keep it small).
    ``follower_style``: how sampled followers' profiles are drawn (``followers.FOLLOWER_STYLES``)."""
    chosen = difficulty_named(difficulty)
    chunks: list[Chunk] = list(
        _chunks(
            creators=creators,
            seed=seed,
            as_of=as_of,
            difficulty=chosen,
            profiles_only=False,
            follower_sample=follower_sample,
            campaigns=campaigns,
            follower_style=follower_style,
        )
    )

    def records(record_type: str) -> list[Any]:
        return [
            record
            for chunk in chunks
            for record in frame_to_records(record_type=record_type, frame=chunk.frames[record_type])
        ]

    fakes = {
        (row["network"], row["handle"], row["follower_username"])
        for chunk in chunks
        if chunk.follower_truth is not None
        for row in chunk.follower_truth.filter(pl.col("is_fake")).iter_rows(named=True)
    }
    return SimulatedWorld(
        accounts=records("account"),
        posts=records("post"),
        comments=records("comment"),
        followers=records("follower"),
        follower_counts=records("follower_count"),
        audience=records("audience"),
        post_snapshots=records("post_snapshot"),
        ground_truth=[line for chunk in chunks for line in chunk.ground_truth],
        fake_followers=fakes,
        campaign_side={name: records(name) for name in CAMPAIGN_RECORD_TYPES} if campaigns else {},
    )
