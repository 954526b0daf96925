"""Load and check the reviewable files in `data/`: the catalogue of pledges and seed evidence.

A new body of pledges (a trade deal, a climate pledge) is a new pair of files, not new
code: `catalogue.toml` lists the pledges, `evidence.csv` the dated evidence about them,
in the same columns as the evidence-log export.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from commitments.files.evidence_csv import EvidenceFileError, RowError, field_name, parse_recorded
from commitments.models import Commitment, Evidence

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CATALOGUE_FILE = "catalogue.toml"
EVIDENCE_FILE = "evidence.csv"


class CatalogueError(ValueError):
    """A data file is invalid; the message names the file, the entry and the field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))


@dataclass(frozen=True)
class Catalogue:
    title: str
    commitments: tuple[Commitment, ...]
    evidence: tuple[Evidence, ...]

    def commitment(self, commitment_id: str) -> Commitment:
        for c in self.commitments:
            if c.id == commitment_id:
                return c
        raise KeyError(commitment_id)


def load_commitments(path: Path) -> tuple[str, tuple[Commitment, ...]]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError([f"{path.name}: {exc}"]) from exc
    problems: list[str] = []
    commitments: list[Commitment] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("commitments", []), start=1):
        label = f"{path.name}: commitment {i} ({entry.get('id', 'no id')})"
        try:
            c = Commitment.model_validate(entry)
        except ValidationError as exc:
            problems += [
                f"{label}, {field_name(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in exc.errors()
            ]
            continue
        if c.id in seen:
            problems.append(f"{label}, id: duplicate id")
        seen.add(c.id)
        commitments.append(c)
    if not commitments and not problems:
        problems.append(f"{path.name}: no [[commitments]] entries")
    if problems:
        raise CatalogueError(problems)
    return str(raw.get("catalogue", {}).get("title", "Commitments")), tuple(commitments)


def load_evidence(path: Path, commitment_ids: set[str]) -> tuple[Evidence, ...]:
    try:
        rows = parse_recorded(path.read_text(encoding="utf-8"))
    except EvidenceFileError as exc:
        raise CatalogueError([f"{path.name}: {e}" for e in exc.errors]) from exc
    problems = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        if row.commitment_id not in commitment_ids:
            problems.append(
                f"{path.name}: {RowError(number, 'commitment_id', f'no pledge with id {row.commitment_id!r}')}"
            )
        if row.id in seen:
            problems.append(f"{path.name}: {RowError(number, 'id', f'duplicate id {row.id!r}')}")
        seen.add(row.id)
    if problems:
        raise CatalogueError(problems)
    return tuple(rows)


def load_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """Read and validate both files; raise CatalogueError listing every problem."""
    title, commitments = load_commitments(data_dir / CATALOGUE_FILE)
    evidence_path = data_dir / EVIDENCE_FILE
    evidence = load_evidence(evidence_path, {c.id for c in commitments}) if evidence_path.exists() else ()
    return Catalogue(title=title, commitments=commitments, evidence=evidence)


def catalogue_title(data_dir: Path, commitment_ids: Iterable[str] = ()) -> str:
    """The catalogue file's title, for a brief or a workbook about the pledges a store holds.

    "" when the file cannot be read, or when it does not hold every one of `commitment_ids`
    (a store filled with another catalogue, a synthetic one, must not borrow its title).
    """
    try:
        title, commitments = load_commitments(data_dir / CATALOGUE_FILE)
    except CatalogueError:
        return ""
    return title if set(commitment_ids) <= {c.id for c in commitments} else ""
