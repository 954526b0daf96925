"""What the About page explains, taken from the code it explains so the two cannot drift.

The status rules are read from `commitments.status`'s module docstring (the table the
engine's tests mirror); what each evidence kind moves comes from
`commitments.models.DEFAULT_ATTESTATION`; the seed documents and their citations come from
the data. Only the plain-language meaning of each stage and flag is written here, one entry
per `Stage` and `Flag` (a test fails when the engine gains one that is not explained).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from commitments import explain, status
from commitments.files.catalog import CATALOGUE_FILE, CatalogueError, load_commitments
from commitments.ledger import Ledger
from commitments.models import (
    DEFAULT_ATTESTATION,
    DEFAULT_DIRECTION,
    DEFAULT_STRENGTH,
    Direction,
    Flag,
    SourceStrength,
    SpeaksFor,
    Stage,
)
from commitments.status import CORROBORATING_PUBLISHERS

STAGE_MEANINGS: dict[Stage, str] = {
    Stage.PLEDGED: "The pledge is on record, and nothing more has been shown.",
    Stage.ANNOUNCED: "The committing party announced a concrete step to carry the pledge out.",
    Stage.IN_EFFECT: "The measure took legal effect, or the action was taken.",
    Stage.VERIFIED: "Someone who does not speak for the committing party confirms it is in effect.",
}
FLAG_MEANINGS: dict[Flag, str] = {
    Flag.CONTRADICTED: "Evidence against the pledge is newer than the latest evidence for it.",
    Flag.REVERSED: "The measure was repealed, blocked or walked back after it was reached.",
    Flag.OVERDUE: "The due date has passed and the pledge is not yet in effect.",
    Flag.LATE: "The pledge took effect, but after its due date.",
    Flag.STALE: "No new evidence for longer than the configured number of days.",
    Flag.UNABLE_TO_CONCLUDE: "An analyst's assessment says the public record cannot settle the pledge either way.",
    Flag.NO_PUBLIC_DATA: "An analyst's assessment says there is no public data to judge the pledge by.",
}
SPEAKS_FOR_MEANINGS: dict[SpeaksFor, str] = {
    SpeaksFor.COMMITTING_PARTY: "the party that made the pledge, whoever publishes its words (claimed)",
    SpeaksFor.COUNTERPART: "the other government in the pledge (independent; its word is a report naming its source)",
    SpeaksFor.INTERNATIONAL_BODY: "an international body such as the INCB (independent)",
    SpeaksFor.INDEPENDENT: "independent media or research (independent)",
}


def rules_table(doc: str | None = status.__doc__, stale_after_days: int | None = None) -> pd.DataFrame:
    """The markdown table in the status engine's docstring, as rows of (rule, result).

    >>> rules_table("| rule | result |\\n|---|---|\\n| a `x` | stage `y` |")["result"].tolist()
    ['stage y']
    """
    rows = []
    for line in (doc or "").splitlines():
        cells = [c.strip().replace("`", "") for c in line.strip().strip("|").split("|")]
        if not line.strip().startswith("|") or len(cells) != 2 or set(cells[0]) <= {"-", ":"}:
            continue
        rows.append(cells)
    if not rows:
        raise ValueError("the status engine's docstring has no rules table")
    header, *body = rows
    frame = pd.DataFrame(body, columns=header)
    if stale_after_days is not None:
        frame["rule"] = frame["rule"].str.replace("stale_after_days", str(stale_after_days), regex=False)
    # The engine's names (in_effect) read as the board shows them (in effect).
    for column in frame.columns:
        frame[column] = frame[column].str.replace("_", " ", regex=False)
    return frame


def strengths_table() -> pd.DataFrame:
    """The source strength scale, strongest first, with the default each speaker gets."""
    defaults: dict[SourceStrength, list[str]] = {}
    for speaker, strength in DEFAULT_STRENGTH.items():
        defaults.setdefault(strength, []).append(speaker.value.replace("_", " "))
    return pd.DataFrame(
        [
            {
                "strength": s.label,
                "meaning": explain.STRENGTH_MEANINGS[s],
                "verifies": "alone"
                if s.tier <= 2
                else f"with another publisher ({CORROBORATING_PUBLISHERS} in all)"
                if s is SourceStrength.SOURCED_REPORT
                else "never",
                "default for": ", ".join(defaults.get(s, [])) or "—",
            }
            for s in SourceStrength
        ]
    )


def kinds_table() -> pd.DataFrame:
    """What each kind of evidence does to the stage unless the row says otherwise."""
    return pd.DataFrame(
        [
            {
                "kind": kind.label,
                "attests by default": attests.value.replace("_", " ") if attests else "nothing (no stage)",
                "direction by default": DEFAULT_DIRECTION.get(kind, Direction.SUPPORTS).value,
            }
            for kind, attests in DEFAULT_ATTESTATION.items()
        ]
    )


def catalogue_title(data_dir: Path) -> str:
    try:
        return load_commitments(data_dir / CATALOGUE_FILE)[0]
    except CatalogueError:
        return "(the catalogue file could not be read)"


@dataclass(frozen=True)
class SeedDocument:
    file: str
    title: str
    publisher: str
    evidence_rows: int
    pledges: int


def seed_documents(data_dir: Path, ledger: Ledger) -> list[SeedDocument]:
    """The documents in data/sources/, named as the rows that cite them name them."""
    folder = data_dir / "sources"
    cited_by_rows = _evidence_sources(ledger)
    documents = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        names = (f"sources/{path.name}", path.name)
        cited = [(title, publisher) for reference, title, publisher in cited_by_rows if reference in names]
        rows = len(cited)
        cited += [(s.title, s.publisher) for c in ledger.commitments for s in c.sources if s.reference in names]
        title = Counter(t for t, _ in cited).most_common(1)[0][0] if cited else path.name
        publisher = Counter(p for _, p in cited if p).most_common(1)
        documents.append(
            SeedDocument(
                file=path.name,
                title=title,
                publisher=publisher[0][0] if publisher else "",
                evidence_rows=rows,
                pledges=sum(1 for c in ledger.commitments if any(s.reference in names for s in c.sources)),
            )
        )
    return documents


def _evidence_sources(ledger: Ledger) -> list[tuple[str, str, str]]:
    """(reference, title, publisher) of the evidence rows' sources, for the rows that name a reference."""
    names = ("source_reference", "source_title", "source_publisher")
    return [
        (str(r["source_reference"]), str(r["source_title"]), str(r["source_publisher"] or ""))
        for r in ledger.cited(names, "source_reference")
    ]
