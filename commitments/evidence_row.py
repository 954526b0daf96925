"""The evidence row's flat shape, declared once: by the models.

An `Evidence` model nests its `Source`; the store's table, the evidence-log CSV and the
status engine's columns are flat (`source_title`, `source_url` ...). Every flat column, its
type, its length and the file's column order derive from `EvidenceDraft` and `Evidence`
here, so a new field on the model is one edit: the table, the file, the form's template
and the engine's read all follow.

>>> FILE_COLUMNS[:3], FILE_COLUMNS[-2:]
(('id', 'commitment_id', 'event_date'), ('recorded_by', 'recorded_at'))
>>> next(f for f in STORED_FIELDS if f.name == "source_url").max_length
2000
"""

from __future__ import annotations

import hashlib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from commitments.models import Evidence, EvidenceDraft, Source


@dataclass(frozen=True)
class FlatField:
    """One flat column of an evidence row."""

    name: str  # e.g. "source_title"
    path: tuple[str, ...]  # where it sits in the model, e.g. ("source", "title")
    type: type  # str, date, datetime, float, bool, or an Enum class
    max_length: int | None  # for text, the model's limit
    nullable: bool  # None is a value (an optional date, number or attestation)


def _core_type(annotation: Any) -> tuple[type, bool]:
    """The plain type behind an annotation, and whether None is allowed (`X | None`)."""
    nullable = False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        nullable = type(None) in args
        (annotation,) = [a for a in args if a is not type(None)]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation, nullable


def _max_length(info: FieldInfo) -> int | None:
    return next((m.max_length for m in info.metadata if getattr(m, "max_length", None) is not None), None)


def _flat_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[FlatField]:
    fields: list[FlatField] = []
    for name, info in model.model_fields.items():
        core, nullable = _core_type(info.annotation)
        if isinstance(core, type) and issubclass(core, BaseModel):
            fields += _flat_fields(core, (*prefix, name))
            continue
        path = (*prefix, name)
        fields.append(FlatField("_".join(path), path, core, _max_length(info), nullable))
    return fields


# What a proposer writes (the form, a CSV import, a suggestion) ...
DRAFT_FIELDS: tuple[FlatField, ...] = tuple(_flat_fields(EvidenceDraft))
# ... and what the store keeps: the draft, stamped with who recorded it, when, and under review or not.
STORED_FIELDS: tuple[FlatField, ...] = tuple(_flat_fields(Evidence))
STORED_COLUMNS: tuple[str, ...] = tuple(f.name for f in STORED_FIELDS)
# Stamped by the store: a file cannot say who recorded a row, or when.
RECORDING_COLUMNS: tuple[str, ...] = ("recorded_by", "recorded_at")
# The evidence-log CSV: the draft's columns, then who recorded the row and when.
FILE_COLUMNS: tuple[str, ...] = (*(f.name for f in DRAFT_FIELDS), *RECORDING_COLUMNS)
# Columns the evidence log export adds, which an import accepts and ignores (export, edit, import).
LOG_ONLY_COLUMNS: tuple[str, ...] = ("known_on", "record_state", "record_note")
SOURCE_COLUMNS: tuple[str, ...] = tuple(f.name for f in _flat_fields(Source, ("source",)))

_BY_NAME = {f.name: f for f in STORED_FIELDS}


def field(name: str) -> FlatField:
    return _BY_NAME[name]


def _value(model: BaseModel, path: tuple[str, ...]) -> Any:
    value: Any = model
    for part in path:
        value = getattr(value, part)
    return value


def flat(row: EvidenceDraft) -> dict[str, Any]:
    """The row as the store keeps it: one value per stored column, enums as their values.

    A draft has no recording columns; they are left out.
    """
    out: dict[str, Any] = {}
    for f in STORED_FIELDS:
        if f.path[0] not in type(row).model_fields:
            continue
        value = _value(row, f.path)
        out[f.name] = value.value if isinstance(value, Enum) else value
    return out


def nested(cells: Mapping[str, Any]) -> dict[str, Any]:
    """Flat cells (from the store or a file) in the shape the models validate.

    Missing text reads as "", a missing attestation as "none" (so the kind's default does
    not apply to a row that was stored without one), other missing values as absent.
    """
    out: dict[str, Any] = {}
    for f in STORED_FIELDS:
        if f.name not in cells:
            continue
        value = cells[f.name]
        if value is None or (isinstance(value, float) and value != value):  # NaN: a missing number
            if f.name == "attests":
                value = "none"
            elif f.type is str and not f.nullable:
                value = ""
            else:
                continue
        target = out
        for part in f.path[:-1]:
            target = target.setdefault(part, {})
        target[f.path[-1]] = value
    return out


# Kept beside each row for the status engine, which compares sources without reading their text.
DERIVED_COLUMNS: tuple[str, ...] = ("source_key", "publisher_key")


def key_hash(text: str) -> int:
    """A 64-bit signed number for text, the same for every spelling of its case.

    >>> key_hash("Xinhua") == key_hash("XINHUA") != key_hash("Reuters")
    True
    """
    digest = hashlib.blake2b(text.casefold().encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def derived(row: Evidence) -> dict[str, int]:
    """The row's engine keys: which source it cites (`Source.key`) and which publisher (or title)."""
    return {
        "source_key": key_hash(row.source.key),
        "publisher_key": key_hash(row.source.publisher or row.source.title),
    }


def stored(row: Evidence) -> dict[str, Any]:
    """Every column of the store's evidence table for this row: the row, flat, and its engine keys."""
    return {**flat(row), **derived(row)}


def number_text(value: float) -> str:
    """Short when exact (3, not 3.0), otherwise every digit: `:g` alone rounds to 6 digits.

    >>> number_text(3.0), number_text(0.1 + 0.2)
    ('3', '0.30000000000000004')
    """
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


def cell_text(name: str, value: Any) -> str:
    """One stored value as the evidence-log CSV writes it."""
    if value is None:
        return "none" if name == "attests" else ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def column_text(name: str, values: Iterable[Any]) -> list[str]:
    """`cell_text` of each value of one column, in order; text, the usual cell, is as it is.

    >>> column_text("attests", ["stage_reached", None]), column_text("value", [3.0, None])
    (['stage_reached', 'none'], ['3', ''])
    """
    empty = cell_text(name, None)
    return [v if type(v) is str else empty if v is None else cell_text(name, v) for v in values]


def text_row(row: EvidenceDraft) -> dict[str, str]:
    """The row in the evidence-log CSV's columns, every value as text (recording columns empty for a draft)."""
    cells = flat(row)
    return {name: cell_text(name, cells.get(name)) for name in FILE_COLUMNS}


def from_stored(cells: Mapping[str, Any]) -> Evidence:
    """A recorded row, validated, from the store's flat cells."""
    return Evidence.model_validate(nested(cells))
