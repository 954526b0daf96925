"""Which pledges a brief or a workbook covers: the shared filters (party, theme, stage, flag) as data.

The dashboard's sidebar and the command line's `--party`/`--theme` both say it as a
`Selection`; an empty filter passes everything, as on the board.

>>> from datetime import date
>>> from commitments.files.catalog import load_catalogue
>>> from commitments.ledger import Ledger, View
>>> seed = load_catalogue()
>>> board = Ledger.from_models(seed.commitments, seed.evidence).board(View(date(2024, 8, 10)))
>>> us = Selection(parties=("US",))
>>> [s.commitment_id for s in us.of(board)][:2], us.text
(['us-increase-border-fentanyl-seizures', 'us-forge-global-counternarcotics-cooperation'], 'pledges with party US')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from commitments import explain
from commitments.ledger import PledgeStatus


@dataclass(frozen=True)
class Selection:
    parties: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()  # stage slugs: "in_effect"
    flags: tuple[str, ...] = ()  # flag values: "stale"

    def passes(self, status: PledgeStatus) -> bool:
        c = status.commitment
        return (
            (not self.parties or c.party in self.parties)
            and (not self.themes or c.theme in self.themes)
            and (not self.stages or status.stage.slug in self.stages)
            and (not self.flags or bool({f.value for f in status.flags} & set(self.flags)))
        )

    def of(self, board: Sequence[PledgeStatus]) -> tuple[PledgeStatus, ...]:
        """The statuses that pass every filter, in board order."""
        return tuple(s for s in board if self.passes(s))

    @property
    def is_everything(self) -> bool:
        return not (self.parties or self.themes or self.stages or self.flags)

    @property
    def text(self) -> str:
        """ "every pledge", or the filters in words."""
        return explain.scope_text(self.parties, self.themes, self.stages, self.flags)


# The selection with no filter: every pledge on record.
EVERY_PLEDGE = Selection()
