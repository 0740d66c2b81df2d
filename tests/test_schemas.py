"""DictOut: the answers built as dicts dump as marshmallow would dump them."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import marshmallow as ma
import pytest

from app.common.schemas import DictOut


class Inner(DictOut):
    id = ma.fields.Integer()


class Hooked(DictOut):
    """A nested answer with a hook: dumped through marshmallow's dump(), which runs it."""

    id = ma.fields.Integer()

    @ma.post_dump
    def mark(self, data: dict, **kwargs) -> dict:
        return {**data, "hooked": True}


def sample_fields() -> dict[str, ma.fields.Field]:
    return {
        "count": ma.fields.Integer(),
        "name": ma.fields.String(),
        "shown": ma.fields.Boolean(data_key="visible"),
        "renamed": ma.fields.String(attribute="source"),
        "at": ma.fields.DateTime(),
        "day": ma.fields.DateTime(format="%Y-%m-%d"),
        "inner": ma.fields.Nested(Inner),
        "inners": ma.fields.List(ma.fields.Nested(Inner)),
        "inner_many": ma.fields.Nested(Inner, many=True),
        "hooked": ma.fields.Nested(Hooked),
        "defaulted": ma.fields.Integer(dump_default=7),
        "size": ma.fields.Function(len),
    }


Sample = DictOut.from_dict(sample_fields(), name="Sample")
# The same fields dumped by marshmallow's own way.
Plain = ma.Schema.from_dict(sample_fields(), name="Plain")


SAMPLES = [
    {"count": 3, "name": "x", "shown": True, "source": "y", "at": datetime(2026, 1, 2, tzinfo=UTC),
     "day": datetime(2026, 1, 2, 3, 4), "inner": {"id": 1}, "inners": [{"id": 2}, None],
     "inner_many": [{"id": 3}], "hooked": {"id": 4}, "defaulted": 1},
    {"at": datetime(2026, 1, 2, 3, 4, 5, 6), "inners": [], "inner_many": [], "hooked": None},
    # Times in UTC, and in other zones, as isoformat() writes them.
    {"at": datetime(2026, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)},
    {"at": datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=UTC)},
    {"at": datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("Europe/Moscow"))},
    {"at": datetime(2026, 1, 2, tzinfo=timezone(-timedelta(hours=5, minutes=30, seconds=15)))},
    # Values not of the field's JSON type are serialized by the field.
    {"count": Decimal("4"), "name": 5, "shown": 1, "source": None, "at": None, "day": None,
     "inner": None, "inners": None, "inner_many": None},
    # Keys left out are left out, or take the field's dump default.
    {"count": None},
    {},
]  # fmt: skip


@pytest.mark.parametrize("row", SAMPLES)
def test_dict_out_dumps_as_marshmallow_does(row):
    dumped = Sample().dump(row)
    assert dumped == Plain().dump(row)
    assert [type(value) for value in dumped.values()] == [
        type(value) for value in Plain().dump(row).values()
    ]


def test_dict_out_dumps_many():
    assert Sample(many=True).dump(SAMPLES) == Plain(many=True).dump(SAMPLES)
