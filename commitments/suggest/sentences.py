"""A document as plain text, cut into sentences.

Press releases and news pages arrive as pasted text or HTML. `html_to_text` keeps only
the readable text (no scripts, styles or markup survive, so nothing from the page is ever
rendered), and `split_sentences` cuts text into sentences with their offsets, so a
proposal can quote the exact sentence it was drawn from.

>>> [s.text for s in split_sentences("The U.S. Customs service met in the U.S. It said so.\\nA heading")]
['The U.S. Customs service met in the U.S.', 'It said so.', 'A heading']
>>> html_to_text("<p>One <b>bold</b> step.</p><script>alert(1)</script><p>Two.</p>")
'One bold step.\\nTwo.'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pydantic import BaseModel, ConfigDict

# A full stop after these is not the end of a sentence ("Mr. Wei", "Aug. 5", "No. 3").
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st sr jr gen sen rep gov prof no vs etc inc ltd co corp dept jan feb mar apr jun jul aug "  # noqa: SIM905
    "sep sept oct nov dec".split()
)
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.){2,}$|^[A-Z]\.$")  # U.S., D.C., the D. in Todd D. Robinson
# After "U.S." a sentence still ends when the next word is one that starts sentences.
_STARTERS = frozenset(
    "a an the this that these those it its in on at but and he she they we i our their there as after".split()  # noqa: SIM905
)


class Sentence(BaseModel):
    model_config = ConfigDict(frozen=True)

    index: int
    text: str
    start: int
    end: int


def _ends_in_abbreviation(before: str, after: str) -> bool:
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    if _INITIALISM.search(word):
        next_word = re.match(r"[\"'“‘(\[]?([A-Za-z]+)", after)
        return not (next_word and next_word.group(1).lower() in _STARTERS)
    return word.rstrip(".").lower() in _ABBREVIATIONS


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in document order; a line break always ends one (headings, bullets)."""
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for boundary in _BOUNDARY.finditer(line.group(0)):
            cut = line.start() + boundary.end()
            stop_char = line.start() + boundary.start() + 1
            if _ends_in_abbreviation(text[start:stop_char], text[cut : cut + 20]):
                continue
            _add(sentences, text, start, cut)
            start = cut
        _add(sentences, text, start, line.end())
    return sentences


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    sentences.append(
        Sentence(index=len(sentences), text=stripped, start=start + lead, end=start + lead + len(stripped))
    )


class _TextOnly(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}
        | {"article", "header", "footer", "blockquote", "pre", "title"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page: one line per block, markup and scripts dropped."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v\xa0]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
