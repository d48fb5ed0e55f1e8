"""Readers: every bad file gives a located, typed error; good files read back as typed batches."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from microreach.core.records import Network, PostRecord, PostType
from microreach.sources import (
    ProblemCode,
    RecordFileWriter,
    SourceFileError,
    open_source,
    validate_file,
    write_records,
)
from microreach.sources.columns import MAX_RECORD_BYTES

POST_HEADER = b"# microreach: record_type=post, version=1\n"
POST_COLUMNS = b"network,handle,network_post_id,published_at,likes,caption\n"
AS_OF = datetime(2026, 1, 1, tzinfo=UTC)


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def post_csv(
    tmp_path: Path, *rows: bytes, header: bytes = POST_HEADER, columns: bytes = POST_COLUMNS
) -> Path:
    return write(tmp_path, "posts.csv", header + columns + b"".join(rows))


def codes(report) -> list[tuple[int, str, str]]:
    return [(error.line, error.field, str(error.code)) for error in report.errors]


GOOD_ROW = b"instagram,lea,p1,2025-01-01T10:00:00Z,12,cuisine v\xc3\xa9gane \xc3\xa0 Lyon\n"


def test_a_good_csv_reads_to_typed_records(tmp_path):
    # given a CSV of two posts with a quoted multi-line caption
    path = post_csv(tmp_path, GOOD_ROW, b'tiktok,@leo,p2,2025-01-02 10:00:00+02:00,,"deux\nlignes, ""ok"""\n')
    # when it is read
    with open_source(path) as reader:
        batches = list(reader.iter_batches())
    # then both rows are typed records, with defaults for absent columns
    records = [record for batch in batches for record in batch.records()]
    assert records == [
        PostRecord(
            network=Network.INSTAGRAM,
            handle="lea",
            network_post_id="p1",
            published_at=datetime(2025, 1, 1, 10, tzinfo=UTC),
            caption="cuisine végane à Lyon",
            likes=12,
        ),
        PostRecord(
            network=Network.TIKTOK,
            handle="leo",
            network_post_id="p2",
            published_at=datetime(2025, 1, 2, 8, tzinfo=UTC),
            post_type=PostType.PHOTO,
            caption='deux\nlignes, "ok"',
        ),
    ]
    assert batches[0].lines.tolist() == [3, 4]
    assert batches[-1].bytes_read == path.stat().st_size == batches[-1].total_bytes


def test_no_record_type_is_refused_with_how_to_declare_it(tmp_path):
    # given a CSV without the microreach line
    path = post_csv(tmp_path, GOOD_ROW, header=b"")
    # when it is opened without a record type
    with pytest.raises(SourceFileError) as raised:
        open_source(path)
    # then the error says how to name it
    assert raised.value.problem.code is ProblemCode.NO_RECORD_TYPE
    assert "# microreach: record_type=<type>" in raised.value.problem.reason
    # and naming it explicitly works
    assert validate_file(path, record_type="post").ok


def test_a_record_type_option_that_contradicts_the_file_is_refused(tmp_path):
    path = post_csv(tmp_path, GOOD_ROW)
    report = validate_file(path, record_type="comment")
    assert report.file_error is not None
    assert report.file_error.code is ProblemCode.RECORD_TYPE_CONFLICT


def test_an_unknown_record_type_is_refused(tmp_path):
    path = post_csv(tmp_path, GOOD_ROW, header=b"# microreach: record_type=influencer\n")
    report = validate_file(path)
    assert (report.file_error.line, report.file_error.code) == (1, ProblemCode.UNKNOWN_RECORD_TYPE)


@pytest.mark.parametrize("content", [b"", b"# microreach: record_type=post\n"])
def test_an_empty_file_is_refused(tmp_path, content):
    report = validate_file(write(tmp_path, "posts.csv", content))
    assert report.file_error.code is ProblemCode.EMPTY_FILE
    assert report.ok is False


def test_a_file_with_only_a_header_is_valid_and_empty(tmp_path):
    report = validate_file(post_csv(tmp_path))
    assert (report.ok, report.rows_read, report.valid_rows) == (True, 0, 0)


def test_missing_required_columns_are_all_named(tmp_path):
    path = post_csv(tmp_path, b"instagram,lea\n", columns=b"network,handle\n")
    report = validate_file(path)
    assert (report.file_error.line, report.file_error.code) == (2, ProblemCode.MISSING_COLUMN)
    assert "network_post_id, published_at" in report.file_error.reason


def test_a_duplicated_header_is_refused(tmp_path):
    path = post_csv(tmp_path, columns=b"network,handle,network_post_id,published_at,likes,likes\n")
    report = validate_file(path)
    assert (report.file_error.line, report.file_error.field, report.file_error.code) == (
        2,
        "likes",
        ProblemCode.DUPLICATED_COLUMN,
    )


def test_unknown_columns_are_reported_at_the_header_or_skipped_on_request(tmp_path):
    path = post_csv(
        tmp_path,
        b"instagram,lea,p1,2025-01-01T10:00:00Z,1,x\n",
        columns=POST_COLUMNS.replace(b"caption", b"captoin"),
    )
    report = validate_file(path)
    assert codes(report) == [(2, "captoin", "unknown_column")]
    assert report.unknown_columns == ("captoin",)
    assert report.valid_rows == 1
    assert validate_file(path, ignore_unknown_columns=True).ok


def test_wrong_types_and_out_of_range_values_are_located(tmp_path):
    # given one row per kind of bad value
    path = post_csv(
        tmp_path,
        GOOD_ROW,
        b"facebook,lea,p2,2025-01-01T10:00:00Z,12,x\n",
        b"instagram,lea,p3,yesterday,abc,x\n",
        b"instagram,lea,p4,2025-01-01T10:00:00Z,-3,x\n",
        b"instagram,lea,p5,2025-01-01T10:00:00Z,12000000000,x\n",
        b"instagram,lea,p6,2027-01-01T10:00:00Z,1.5,x\n",
        b"instagram,lea lea,,2025-01-01T10:00:00Z,1,x\n",
    )
    # when validated as of 2026-01-01
    report = validate_file(path, as_of=AS_OF)
    # then each bad value is named with its line and field
    assert codes(report) == [
        (4, "network", "not_allowed"),
        (5, "published_at", "wrong_type"),
        (5, "likes", "wrong_type"),
        (6, "likes", "out_of_range"),
        (7, "likes", "out_of_range"),
        (8, "published_at", "in_the_future"),
        (8, "likes", "wrong_type"),
        (9, "handle", "bad_format"),
        (9, "network_post_id", "missing_value"),
    ]
    assert (report.rows_read, report.valid_rows, report.bad_rows, report.error_count) == (7, 1, 6, 9)
    assert str(report.errors[3]) == f"{path}:6 [likes]: negative value -3: must be 0 or more (out_of_range)"


def test_booleans_accept_true_false_one_zero(tmp_path):
    path = write(
        tmp_path,
        "accounts.csv",
        b"# microreach: record_type=account\nnetwork,handle,followers,verified,private\n"
        b"instagram,a,1,TRUE,0\ninstagram,b,1,1,false\ninstagram,c,1,yes,\n",
    )
    with open_source(path) as reader:
        batch = next(reader.iter_batches())
    assert batch.frame.select("verified", "private").rows() == [(True, False), (True, False)]
    assert [(e.line, e.field, str(e.code)) for e in batch.errors] == [(5, "verified", "wrong_type")]


def test_shares_outside_zero_one_are_refused(tmp_path):
    path = write(
        tmp_path,
        "audience.csv",
        b"# microreach: record_type=audience\nnetwork,handle,dimension,key,share,as_of\n"
        b"instagram,a,country,FR,0.7,2025-01-01\ninstagram,a,country,BE,1.2,2025-01-01\n"
        b"instagram,a,age,18-24,-0.1,2025-01-01\ninstagram,a,age,25-34,nan,2025-01-01\n",
    )
    report = validate_file(path)
    assert codes(report) == [
        (4, "share", "out_of_range"),
        (5, "share", "out_of_range"),
        (6, "share", "wrong_type"),
    ]


def test_broken_utf8_names_the_line_and_field(tmp_path):
    path = post_csv(tmp_path, GOOD_ROW, b"instagram,lea,p2,2025-01-01T10:00:00Z,1,caf\xe9\n", GOOD_ROW)
    report = validate_file(path)
    assert codes(report) == [(4, "caption", "invalid_utf8")]
    assert report.valid_rows == 2


def test_a_nul_byte_is_refused(tmp_path):
    path = post_csv(tmp_path, b"instagram,lea,p2,2025-01-01T10:00:00Z,1,a\x00b\n")
    assert codes(validate_file(path)) == [(3, "caption", "nul_byte")]


def test_a_truncated_csv_row_is_refused(tmp_path):
    # given a file cut in the middle of its last row
    path = post_csv(tmp_path, GOOD_ROW, b"instagram,lea,p2,2025-01")
    report = validate_file(path)
    assert codes(report) == [(4, "", "wrong_field_count")]
    assert report.errors[0].reason == "expected 6 fields, found 4 (truncated row or unquoted comma?)"


def test_a_csv_truncated_inside_a_quoted_field_is_refused_at_the_record_start(tmp_path):
    path = post_csv(tmp_path, GOOD_ROW, GOOD_ROW, b'instagram,lea,p3,2025-01-01T10:00:00Z,1,"never\nclosed\n')
    report = validate_file(path)
    assert (report.file_error.line, report.file_error.code) == (5, ProblemCode.UNTERMINATED_QUOTE)
    assert report.valid_rows == 2


def test_a_one_megabyte_field_is_refused_with_its_size(tmp_path):
    big = b"a" * 1_048_576
    path = post_csv(tmp_path, GOOD_ROW, b'instagram,lea,p2,2025-01-01T10:00:00Z,1,"' + big + b'"\n', GOOD_ROW)
    report = validate_file(path)
    assert codes(report) == [(4, "caption", "too_long")]
    assert report.errors[0].reason == "1,048,576 bytes, limit 65,536"
    assert report.valid_rows == 2


def test_an_unclosed_quote_on_a_huge_file_stops_at_the_record_limit(tmp_path):
    path = post_csv(tmp_path, b'instagram,lea,p2,2025-01-01T10:00:00Z,1,"' + b"a" * (MAX_RECORD_BYTES + 10))
    report = validate_file(path)
    assert report.file_error.code in (ProblemCode.RECORD_TOO_LARGE, ProblemCode.UNTERMINATED_QUOTE)
    assert report.file_error.line == 3


@pytest.mark.parametrize(
    "caption",
    [
        "=cmd|' /C calc'!A0",
        '=HYPERLINK("http://x")',
        "@SUM(1+1)",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        " =1+1",
    ],
)
def test_formula_injection_is_refused(tmp_path, caption):
    path = post_csv(
        tmp_path,
        b"instagram,lea,p2,2025-01-01T10:00:00Z,1,"
        + json.dumps(caption).encode().replace(b'\\"', b'""')
        + b"\n",
    )
    assert codes(validate_file(path)) == [(3, "caption", "formula_injection")]


@pytest.mark.parametrize("caption", ["@alice trop beau !", "-20% ce week-end", "+33 6 12 34 56 78", "a = b"])
def test_ordinary_text_starting_like_a_formula_passes(tmp_path, caption):
    path = post_csv(tmp_path, b"instagram,lea,p2,2025-01-01T10:00:00Z,1," + caption.encode() + b"\n")
    assert validate_file(path).ok


def test_only_the_first_errors_are_detailed_and_the_rest_counted(tmp_path):
    rows = [b"instagram,lea,p%d,2025-01-01T10:00:00Z,-1,x\n" % i for i in range(250)]
    report = validate_file(post_csv(tmp_path, *rows), batch_rows=64)
    assert (len(report.errors), report.error_count, report.errors_not_shown) == (100, 250, 150)
    assert [error.line for error in report.errors[:3]] == [3, 4, 5]
    assert report.errors[-1].line == 102


def test_batches_respect_batch_rows_and_report_progress(tmp_path):
    rows = [b"instagram,lea,p%d,2025-01-01T10:00:00Z,%d,x\n" % (i, i) for i in range(1000)]
    path = post_csv(tmp_path, *rows)
    with open_source(path) as reader:
        batches = list(reader.iter_batches(batch_rows=300))
    assert [batch.rows_read for batch in batches] == [300, 300, 300, 100]
    assert batches[1].lines[0] == 303
    assert batches[-1].frame["likes"].to_list()[-1] == 999


def test_jsonl_errors_name_the_physical_line(tmp_path):
    # given a JSON Lines file with a string count, an unknown field, bad JSON and a truncated last line
    lines = [
        json.dumps({"microreach": {"record_type": "follower_count", "version": 1}}),
        json.dumps({"network": "instagram", "handle": "lea", "date": "2025-01-01", "followers": 10}),
        json.dumps({"network": "instagram", "handle": "lea", "date": "2025-01-02", "followers": "11"}),
        "",
        json.dumps(
            {"network": "instagram", "handle": "lea", "date": "2025-01-03", "followers": 12, "mood": "ok"}
        ),
        json.dumps({"network": "instagram", "handle": "lea", "date": "2025-01-04", "followers": 1.5}),
        "[1, 2]",
        '{"network": "instagram", "handle": "lea", "date": "2025-0',
    ]
    path = write(tmp_path, "counts.jsonl", "\n".join(lines).encode())
    report = validate_file(path)
    assert codes(report) == [
        (3, "followers", "wrong_type"),
        (5, "mood", "unknown_column"),
        (6, "followers", "wrong_type"),
        (7, "", "invalid_json"),
        (8, "", "invalid_json"),
    ]
    assert report.valid_rows == 1


def test_jsonl_without_a_header_needs_the_record_type(tmp_path):
    path = write(
        tmp_path,
        "c.jsonl",
        b'{"network": "instagram", "handle": "lea", "date": "2025-01-01", "followers": 1}\n',
    )
    assert validate_file(path).file_error.code is ProblemCode.NO_RECORD_TYPE
    assert validate_file(path, record_type="follower_count").ok


def test_jsonl_broken_utf8_is_located(tmp_path):
    path = write(
        tmp_path,
        "c.jsonl",
        b'{"microreach": {"record_type": "follower_count"}}\n'
        b'{"network": "instagram", "handle": "l\xff", "date": "2025-01-01", "followers": 1}\n',
    )
    assert codes(validate_file(path)) == [(2, "", "invalid_utf8")]


def test_parquet_errors_name_the_row(tmp_path):
    # given a Parquet file with a negative count and a float in an integer column
    table = pa.table(
        {
            "network": ["instagram", "instagram", "instagram"],
            "handle": ["lea", "lea", "lea"],
            "date": pa.array([datetime(2025, 1, d).date() for d in (1, 2, 3)]),
            "followers": pa.array([10, -1, 12]),
            "following": pa.array([1.0, 2.0, 2.5]),
        }
    ).replace_schema_metadata({b"microreach.record_type": b"follower_count"})
    path = tmp_path / "counts.parquet"
    pq.write_table(table, path)
    report = validate_file(path)
    assert [(e.line, e.unit, e.field, str(e.code)) for e in report.errors] == [
        (1, "row", "following", "wrong_type"),
        (2, "row", "followers", "out_of_range"),
        (2, "row", "following", "wrong_type"),
        (3, "row", "following", "wrong_type"),
    ]


def test_a_truncated_parquet_file_is_refused(tmp_path):
    path = tmp_path / "posts.parquet"
    record = PostRecord(
        network=Network.YOUTUBE,
        handle="a",
        network_post_id="v",
        published_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    write_records(path, record_type="post", records=[record] * 10)
    path.write_bytes(path.read_bytes()[:-40])
    report = validate_file(path)
    assert report.file_error.code is ProblemCode.UNREADABLE_FILE
    assert "truncated or corrupt" in report.file_error.reason


def test_parquet_without_metadata_needs_the_record_type(tmp_path):
    path = tmp_path / "a.parquet"
    pl.DataFrame({"network": ["tiktok"], "handle": ["a"], "followers": [3]}).write_parquet(path)
    assert validate_file(path).file_error.code is ProblemCode.NO_RECORD_TYPE
    assert validate_file(path, record_type="account").ok


def test_an_unknown_extension_is_refused(tmp_path):
    report = validate_file(write(tmp_path, "posts.xlsx", b"x"))
    assert report.file_error.code is ProblemCode.UNKNOWN_FORMAT


def test_a_missing_file_is_a_typed_error(tmp_path):
    assert validate_file(tmp_path / "nope.csv").file_error.code is ProblemCode.FILE_NOT_FOUND


def test_a_writer_appends_chunks_to_one_file(tmp_path):
    record = PostRecord(
        network=Network.YOUTUBE,
        handle="a",
        network_post_id="v",
        published_at=datetime(2025, 1, 1, tzinfo=UTC),
    )
    with RecordFileWriter(tmp_path / "p.csv", record_type="post") as writer:
        writer.write_records([record])
        writer.write_records([record])
    assert writer.rows_written == 2
    assert validate_file(tmp_path / "p.csv").valid_rows == 2


def test_lists_are_trimmed_and_empty_items_dropped(tmp_path):
    # given hashtags written loosely and mentions written tidily
    path = post_csv(
        tmp_path,
        b"instagram,lea,p1,2025-01-01T10:00:00Z,#vegan | #lyon||,@verdure.box\n",
        columns=b"network,handle,network_post_id,published_at,hashtags,mentions\n",
    )
    with open_source(path) as reader:
        record = next(reader.iter_batches()).records()[0]
    assert (record.hashtags, record.mentions) == (("vegan", "lyon"), ("verdure.box",))


def test_date_times_with_offsets_spaces_or_no_zone_are_read_as_utc(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        b"# microreach: record_type=follower\nnetwork,handle,follower_username,followed_at\n"
        b"instagram,@lea,a,2025-01-01 10:00:00\ninstagram,lea,b,2025-01-01T10:00:00.250+0200\n"
        b"instagram,lea,c,2025-01-01T10:00:00-05:00\ninstagram,lea,d,01/01/2025 10:00\n",
    )
    with open_source(path) as reader:
        batch = next(reader.iter_batches())
    assert batch.frame.select("handle", "followed_at").rows() == [
        ("lea", datetime(2025, 1, 1, 10, tzinfo=UTC)),
        ("lea", datetime(2025, 1, 1, 8, 0, 0, 250000, tzinfo=UTC)),
        ("lea", datetime(2025, 1, 1, 15, tzinfo=UTC)),
    ]
    assert [(e.line, e.field, str(e.code)) for e in batch.errors] == [(6, "followed_at", "wrong_type")]


def test_structured_values_are_not_trimmed(tmp_path):
    path = post_csv(tmp_path, b"Instagram,lea,p1,2025-01-01T10:00:00Z, 12,x\n")
    assert codes(validate_file(path)) == [(3, "network", "not_allowed"), (3, "likes", "wrong_type")]


def test_a_list_item_that_is_a_formula_is_refused(tmp_path):
    path = post_csv(
        tmp_path,
        b"instagram,lea,p1,2025-01-01T10:00:00Z,vegan|=HYPERLINK(1)\n",
        columns=b"network,handle,network_post_id,published_at,hashtags\n",
    )
    assert codes(validate_file(path)) == [(3, "hashtags", "formula_injection")]


def test_amounts_are_exact_decimals_in_every_spelling(tmp_path):
    # given sales whose amounts are JSON strings, numbers, and three bad values
    path = tmp_path / "sales.jsonl"
    rows = [
        {"amount": "12.50"},
        {"amount": 12.5},
        {"amount": 40},
        {"amount": "12.555"},
        {"amount": -3},
        {"amount": "1e3"},
    ]
    lines = ['{"microreach": {"record_type": "sale", "version": 1}}']
    for n, row in enumerate(rows):
        base = {
            "brand_key": "b",
            "campaign_key": "c",
            "order_ref": f"o{n}",
            "ordered_at": "2025-09-01T10:00:00Z",
        }
        lines.append(json.dumps({**base, **row}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # when the file is read
    with open_source(path) as reader:
        batches = list(reader.iter_batches())
    # then the good ones are Decimals to the cent and the bad ones are refused at their line
    amounts = [record.amount for batch in batches for record in batch.records()]
    assert amounts == [Decimal("12.50"), Decimal("12.50"), Decimal("40.00")]
    errors = [(e.line, e.field, e.code) for batch in batches for e in batch.errors]
    assert errors == [
        (5, "amount", ProblemCode.WRONG_TYPE),
        (6, "amount", ProblemCode.WRONG_TYPE),
        (7, "amount", ProblemCode.WRONG_TYPE),
    ]


def test_planned_dates_may_be_after_as_of_but_facts_may_not(tmp_path):
    path = tmp_path / "campaigns.csv"
    path.write_text(
        "# microreach: record_type=campaign, version=1\n"
        "brand_key,campaign_key,title,applications_close_on,publication_start,publication_end,created_at\n"
        "b,c1,Later,2030-01-01,2030-01-10,2030-01-31,2025-09-01T10:00:00Z\n"
        "b,c2,Wrong,2030-01-01,2030-01-10,2030-01-31,2030-01-01T10:00:00Z\n",
        encoding="utf-8",
    )
    report = validate_file(path, as_of=datetime(2025, 9, 30, tzinfo=UTC))
    assert report.valid_rows == 1
    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (4, "created_at", ProblemCode.IN_THE_FUTURE)
    ]


def test_a_follower_file_in_profile_columns_reads_as_follower_fields(tmp_path):
    # given a follower file written in the profile columns, one name given, a link column empty everywhere
    path = tmp_path / "followers.csv"
    path.write_text(
        "# microreach: record_type=follower\n"
        "network,handle,username,full_name,bio,has_profile_pic,external_url,followers\n"
        "instagram,lea,@Bot_123 ,,,false,,3\n"
        "instagram,lea,alice,Alice A, ,true,,\n",
        encoding="utf-8",
    )
    with open_source(path) as reader:
        (batch,) = list(reader.iter_batches())
    # then the rows hold the follower fields the profile columns give
    assert batch.error_count == 0
    rows = [
        (r.follower_username, r.username_length, r.username_digit_count, r.full_name_length, r.bio_length,
         r.has_profile_picture, r.has_external_url, r.followers)
        for r in batch.records()
    ]  # fmt: skip
    assert rows == [
        ("Bot_123", 7, 3, 0, None, False, None, 3),
        ("alice", 5, 0, 7, None, True, None, None),
    ]


def test_errors_in_profile_columns_name_the_column_of_the_file(tmp_path):
    path = tmp_path / "followers.csv"
    path.write_text(
        "# microreach: record_type=follower\nnetwork,handle,username,has_profile_pic\ninstagram,lea,a b,maybe\n",
        encoding="utf-8",
    )
    report = validate_file(path)
    assert [(e.line, e.field, e.code) for e in report.errors] == [
        (3, "username", "bad_format"),
        (3, "has_profile_pic", "wrong_type"),
    ]


def test_a_parquet_follower_file_in_profile_columns_reads_alike(tmp_path):
    table = pa.table(
        {
            "network": ["instagram", "instagram"],
            "handle": ["lea", "lea"],
            "username": ["bot_12", "alice"],
            "full_name": [None, None],
            "bio": ["", "Vélo"],
            "has_profile_pic": [False, True],
            "followers": pa.array([3, 120], type=pa.int32()),
        }
    ).replace_schema_metadata({"microreach.record_type": "follower"})
    path = tmp_path / "followers.parquet"
    pq.write_table(table, path)
    with open_source(path) as reader:
        (batch,) = list(reader.iter_batches())
    assert batch.error_count == 0
    rows = [
        (r.username_length, r.full_name_length, r.bio_length, r.has_profile_picture, r.followers)
        for r in batch.records()
    ]
    assert rows == [(6, None, 0, False, 3), (5, None, 4, True, 120)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_a_utf16_csv_is_refused_for_its_encoding_before_its_record_type(tmp_path, encoding):
    # given a CSV saved as UTF-16 (with its byte-order mark, or without), which declares no record type
    text = (POST_COLUMNS + GOOD_ROW).decode("utf-8")
    path = write(tmp_path, "posts.csv", text.encode(encoding))
    # when it is validated without a record type
    report = validate_file(path)
    # then the error is its encoding, not a missing record type
    assert report.file_error is not None
    assert (report.file_error.line, report.file_error.code) == (
        (1, ProblemCode.INVALID_UTF8) if encoding == "utf-16" else (1, ProblemCode.NUL_BYTE)
    )
    assert "UTF-16" in report.file_error.reason
    assert "UTF-8" in report.file_error.reason
