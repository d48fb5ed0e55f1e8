"""Property: any valid file, in any format, reads back to exactly the records it was written from."""

from __future__ import annotations

import re
import string
import tempfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microreach.core.records import RECORD_TYPES, Network, PostType
from microreach.sources import open_source, write_records
from microreach.sources.columns import MAX_AMOUNT, RECORD_COLUMNS, ColumnKind, ColumnSpec
from microreach.sources.validation import FORMULA_PATTERN

FORMULA = re.compile(FORMULA_PATTERN)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1, max_size=40
).filter(lambda value: not FORMULA.match(value))
IDENTIFIER_ALPHABET = string.ascii_letters + string.digits + "._:-"
HANDLE_ALPHABET = string.ascii_letters + string.digits + "._-"
TAG = st.text(alphabet=string.ascii_lowercase + string.digits + "éàçü_", min_size=1, max_size=20)


def value_strategy(spec: ColumnSpec) -> st.SearchStrategy:
    kind = spec.kind
    if kind is ColumnKind.TEXT:
        # Limits are in bytes: 40 characters of 4-byte UTF-8 can exceed a 64-byte field.
        limit = spec.max_bytes
        base = TEXT.filter(lambda value: limit is None or len(value.encode("utf-8")) <= limit)
    elif kind is ColumnKind.URL:
        base = st.builds(
            "{}://{}/{}".format,
            st.sampled_from(["https", "http", "HTTPS"]),
            st.text(alphabet=string.ascii_lowercase + string.digits + ".-", min_size=1, max_size=20),
            st.text(alphabet=string.ascii_letters + string.digits + "-._~%?=&#/", max_size=40),
        )
    elif kind is ColumnKind.IDENTIFIER:
        base = st.text(alphabet=IDENTIFIER_ALPHABET, min_size=1, max_size=min(spec.max_bytes, 20))
    elif kind is ColumnKind.HANDLE:
        base = st.text(alphabet=HANDLE_ALPHABET, min_size=1, max_size=30)
    elif kind is ColumnKind.CHOICE:
        enum = {"network": Network, "post_type": PostType}.get(spec.name)
        base = st.sampled_from([enum(c) for c in spec.choices] if enum else list(spec.choices))
    elif kind is ColumnKind.COUNT:
        base = st.integers(0, 10**10)
    elif kind is ColumnKind.INTEGER:
        base = st.integers(0, 10**6)
    elif kind is ColumnKind.SHARE:
        base = st.floats(0, 1, allow_nan=False)
    elif kind is ColumnKind.BOOLEAN:
        base = st.booleans()
    elif kind is ColumnKind.DATE:
        base = st.dates(date(2000, 1, 1), date(2030, 12, 31))
    elif kind is ColumnKind.DATETIME:
        base = st.datetimes(datetime(2000, 1, 2), datetime(2030, 12, 31), timezones=st.just(UTC))
    elif kind is ColumnKind.AMOUNT:
        base = st.decimals(min_value=0, max_value=Decimal(MAX_AMOUNT), places=2)
    else:
        return st.lists(TAG, max_size=5).map(tuple)
    if spec.required:
        return base
    if spec.default is None:
        return st.none() | base
    # An optional column with a default: the default itself or a real value.
    return st.just(spec.default) | base


@st.composite
def records_of(draw, record_type: str) -> list:
    specs = RECORD_COLUMNS[record_type]
    record_class = RECORD_TYPES[record_type]
    rows = draw(
        st.lists(
            st.fixed_dictionaries({spec.name: value_strategy(spec) for spec in specs}), min_size=1, max_size=5
        )
    )
    return [record_class(**row) for row in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.data(),
    record_type=st.sampled_from(sorted(RECORD_COLUMNS)),
    file_format=st.sampled_from(["csv", "jsonl", "parquet"]),
)
def test_any_valid_file_reads_back_to_the_same_records(data, record_type, file_format):
    # given valid records of one type
    records = data.draw(records_of(record_type))
    with tempfile.TemporaryDirectory() as folder:
        # when they are written in one format and read back
        path = write_records(Path(folder) / f"rows.{file_format}", record_type=record_type, records=records)
        with open_source(path) as reader:
            batches = list(reader.iter_batches())
        # then no error and the very same records
        assert [error for batch in batches for error in batch.errors] == []
        assert [record for batch in batches for record in batch.records()] == records
