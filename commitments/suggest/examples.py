"""Learning from the team's own decisions: recorded evidence rows as labelled examples.

Every evidence row an analyst recorded says "a sentence worded like this bears on this
pledge". `ExampleIndex` keeps those rows (their summary and quote) as TF-IDF vectors
(scikit-learn), and `similar` finds, for a new sentence, the past rows it resembles most,
by cosine similarity over the same word stems the matcher uses, with the governments'
names blanked out (who speaks is not the topic). The matcher adds that resemblance to a
pledge's score and names the rows in its explanation.

>>> rows = [Example(commitment_id="ban-x", text="Police seized a tonne of substance X at the port.", evidence_id="e1")]
>>> found = ExampleIndex.build(rows).similar("Customs seized substance X at two ports on Friday.")
>>> [(e.commitment_id, e.evidence_id) for e, _ in found]
[('ban-x', 'e1')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict
from sklearn.feature_extraction.text import TfidfVectorizer

from commitments.models import Evidence
from commitments.suggest.evidence_cues import mask_party_names

# A past row counts as resembling a sentence from this cosine similarity up.
MIN_SIMILARITY = 0.4


class Example(BaseModel):
    """One recorded evidence row, as the matcher learns from it."""

    model_config = ConfigDict(frozen=True)

    commitment_id: str
    text: str  # what the row says: its summary and its quote
    evidence_id: str = ""
    summary: str = ""
    source: str = ""  # the row's source reference or URL: a document is not matched against its own rows

    @classmethod
    def of(cls, row: Evidence) -> Example:
        return cls(
            commitment_id=row.commitment_id,
            text=f"{row.summary} {row.quote}".strip(),
            evidence_id=row.id,
            summary=row.summary,
            source=row.source.reference or row.source.url,
        )


def examples_from(rows: Iterable[Evidence]) -> list[Example]:
    """The rows that say something about their pledge: retractions and empty rows teach nothing."""
    return [Example.of(r) for r in rows if (r.summary or r.quote).strip()]


@dataclass(frozen=True)
class ExampleIndex:
    """Past rows as TF-IDF vectors, fitted on their own words."""

    examples: tuple[Example, ...]
    vectorizer: Any  # sklearn's TfidfVectorizer (untyped)
    matrix: Any  # scipy sparse, one L2-normalised row per example

    @classmethod
    def build(cls, examples: Iterable[Example], analyzer: Callable[[str], list[str]] | None = None) -> ExampleIndex:
        kept = tuple(e for e in examples if e.text.strip())
        vectorizer = TfidfVectorizer(analyzer=analyzer or _stems, sublinear_tf=True)
        if not kept:
            return cls(kept, None, None)
        try:
            matrix = vectorizer.fit_transform([e.text for e in kept])
        except ValueError:  # no example has a single content word
            return cls((), None, None)
        return cls(kept, vectorizer, matrix)

    def similar(self, sentence: str, top: int = 3) -> list[tuple[Example, float]]:
        """The past rows most like the sentence (cosine similarity at least MIN_SIMILARITY), most alike first."""
        if self.vectorizer is None:
            return []
        query = self.vectorizer.transform([sentence])
        if query.nnz == 0:
            return []
        scores = (self.matrix @ query.T).toarray().ravel()
        order = scores.argsort()[::-1][:top]
        return [(self.examples[i], float(scores[i])) for i in order if scores[i] >= MIN_SIMILARITY]

    def by_pledge(self, sentence: str, top: int = 5) -> dict[str, tuple[float, tuple[Example, ...]]]:
        """For each pledge some past row resembles: the best similarity and the rows, most alike first."""
        found: dict[str, tuple[float, tuple[Example, ...]]] = {}
        for example, score in self.similar(sentence, top):
            best, rows = found.get(example.commitment_id, (0.0, ()))
            found[example.commitment_id] = (max(best, score), (*rows, example))
        return found


def _stems(text: str) -> list[str]:
    # Imported here: the matcher imports this module, and its stemmer is the one to share.
    from commitments.suggest.matching import tokens

    return [t.stem for t in tokens(mask_party_names(text))]


def summaries(rows: Sequence[Example]) -> str:
    """How a proposal names the past rows behind it: "doc-1a2b (China schedules ...)"."""
    return "; ".join(f"{e.evidence_id or 'row'} ({e.summary[:60] or e.text[:60]})" for e in rows)
