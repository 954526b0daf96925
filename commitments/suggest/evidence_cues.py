"""Reading a sentence the way an analyst would: what kind of evidence, and whose word.

Plain word lists, no model: each kind of evidence has verbs that signal it ("arrested"
is an enforcement action, "took effect" a legal effect, "met" a meeting), and each
government or body has names it goes by ("Beijing", "the Ministry of Public Security").
Everything here is a guess shown to the analyst, who confirms or corrects it.

>>> guess_kind("Police arrested two suspects on Friday.")
<EvidenceKind.ENFORCEMENT_ACTION: 'enforcement_action'>
>>> actor_of("Ministry of Public Security of the PRC")
'PRC'
>>> speaks_for("PRC", "US", "Department of State", "The PRC announced new controls.")
<SpeaksFor.COMMITTING_PARTY: 'committing_party'>
"""

from __future__ import annotations

import re

from commitments.models import DEFAULT_DIRECTION, Direction, EvidenceKind, SpeaksFor

# Most specific first: the first kind whose cue appears wins.
KIND_CUES: tuple[tuple[EvidenceKind, str], ...] = (
    (
        EvidenceKind.REVERSAL,
        r"repeal\w*|revok\w*|rescind\w*|revers\w*|walk\w* back|lift\w* the (?:ban|controls?)|suspend\w*|"
        r"withdr[ae]w\w*|halt\w*|abandon\w*",
    ),
    (
        EvidenceKind.CONTRADICTION,
        r"fail\w* to|has not|have not|had not|did not|does not|hasn't|haven't|didn't|no sign|no evidence|"
        r"refus\w*|den(?:y|ied|ies)|continu\w* to (?:ship|sell|export|supply|flow)",
    ),
    (
        EvidenceKind.ENFORCEMENT_ACTION,
        r"arrest\w*|seiz\w*|indict\w*|prosecut\w*|raid\w*|shut\w* down|closed down|dismantl\w*|sentenc\w*|"
        r"extradit\w*|detain\w*|confiscat\w*|convict\w*|submit\w*|sanction(?:ed|s)\b|crack\w* down|busted",
    ),
    (
        EvidenceKind.LEGAL_EFFECT,
        r"t(?:ake|akes|ook|aken) effect|into force|into effect|came into|comes into|effective (?:from|on|as of)|"
        r"added to the (?:list|schedule)|placed under (?:control|regulation)|now controlled|"
        r"officially (?:scheduled|controlled)",
    ),
    (
        EvidenceKind.INDEPENDENT_VERIFICATION,
        r"confirm\w*|verif\w*|data show\w*|found that|observ\w*|starting to see|independent\w* (?:test|review|audit)",
    ),
    (
        EvidenceKind.ANNOUNCEMENT,
        r"announc\w*|unveil\w*|pledg\w*|commit\w* to|will (?:begin|start|schedule|regulate|control|ban)|"
        r"plans? to|decid\w* to|launch\w*",
    ),
    (
        EvidenceKind.MEETING,
        r"met\b|meet\w*|convened?|talks\b|held (?:a|an|the|its)\b|discuss\w*|delegation\w*|readout|summit|"
        r"review\w* (?:the )?progress",
    ),
)
_KIND_PATTERNS = tuple((kind, re.compile(rf"\b(?:{cues})", re.IGNORECASE)) for kind, cues in KIND_CUES)

# A measure said to take effect on a date is a legal effect, even in the future tense ("will
# take effect on July 1", "effective November 10", "entered into force"): the date is the law's.
_WHEN = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|today|immediately|\d)"
)
_TAKES_EFFECT = re.compile(
    rf"\b(?:(?:t(?:ake|akes|ook|aken|aking)|(?:go|goes|went|gone|come|comes|came) into) effect|effective)"
    rf"\s+(?:(?:on|from|as of)\s+)?(?:the\s+)?{_WHEN}"
    r"|\b(?:enter(?:s|ed|ing)?|c(?:ame|omes?)) into force\b",
    re.IGNORECASE,
)

_FUTURE = re.compile(
    r"\b(?:will|shall|to be held|plans? to|planned|set to|expected to|are headed|is headed|en route|upcoming)\b",
    re.IGNORECASE,
)
_SAYING = r"(?:announc\w*|sa(?:id|ys)|stated|told|reported|claim(?:ed|s)|revealed|confirmed|declared)"

# Who a publisher or a phrase speaks for. Names, not rules: extend when a new body of
# pledges brings new parties.
ACTORS: dict[str, tuple[str, ...]] = {
    "PRC": (
        r"PRC",
        r"People['’]s Republic of China",
        r"China",
        r"Chinese",
        r"Beijing",
        r"Xinhua",
        r"Ministry of Public Security",
        r"National Narcotics Control Commission",
        r"Global Times",
        r"China Daily",
        r"CGTN",
        r"Wei Xiaojun",
        r"Xi(?: Jinping)?",
    ),
    "US": (
        r"United States",
        r"U\.S\.",
        r"US",
        r"USA",
        r"America(?:n)?",
        r"Washington",
        r"White House",
        r"State Department",
        r"Department of (?:State|the Treasury|Justice|Homeland Security)",
        r"Treasury",
        r"Justice Department",
        r"DEA",
        r"Drug Enforcement Administration",
        r"Customs and Border Protection",
        r"CBP",
        r"ONDCP",
        r"(?:Biden|Trump) administration",
        r"(?:President )?(?:Biden|Trump)",
        r"[Ss]enior administration officials?",
        r"Our Administration",
    ),
    "international": (
        r"INCB",
        r"International Narcotics Control Board",
        r"UNODC",
        r"United Nations",
        r"UN",
        r"Interpol",
        r"World Customs Organization",
        r"Commission on Narcotic Drugs",
    ),
}
_ACTOR_PATTERNS = {
    actor: re.compile(r"(?<![\w.])(?:" + "|".join(names) + r")(?![\w])") for actor, names in ACTORS.items()
}


def mask_party_names(text: str) -> str:
    """The text with governments' and agencies' names blanked out, offsets kept.

    Who attended or who said it identifies the speaker, not the topic: a list of agencies
    at a meeting ("Customs and Border Protection") is not news about border seizures.
    International bodies stay: "reported to the INCB" is the topic itself.
    """
    for actor in ("PRC", "US"):
        text = _ACTOR_PATTERNS[actor].sub(lambda m: " " * len(m.group(0)), text)
    return text


def guess_kind(text: str) -> EvidenceKind:
    """The most specific kind whose cue words appear; a plain statement otherwise.

    >>> guess_kind("The licence rule takes effect on November 10.").value
    'legal_effect'
    """
    if _TAKES_EFFECT.search(text) and not re.search(r"\b(?:repeal|revok|rescind|suspend)", text, re.IGNORECASE):
        return EvidenceKind.LEGAL_EFFECT
    if _FUTURE.search(text):
        # "will begin scheduling", "officials will meet": nothing has happened yet but the word.
        return EvidenceKind.ANNOUNCEMENT if re.search(rf"\b{_SAYING}", text, re.IGNORECASE) else EvidenceKind.STATEMENT
    for kind, pattern in _KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return EvidenceKind.STATEMENT


def guess_direction(kind: EvidenceKind) -> Direction:
    return DEFAULT_DIRECTION.get(kind, Direction.SUPPORTS)


def is_future(text: str) -> bool:
    return bool(_FUTURE.search(text))


def actor_of(text: str) -> str:
    """Which party a name belongs to: 'PRC', 'US', 'international', or '' (media, research, unknown).

    International bodies are checked first: "United Nations" is not the United States.
    """
    for actor in ("international", "PRC", "US"):
        if _ACTOR_PATTERNS[actor].search(text):
            return actor
    return ""


def attributed_actor(text: str) -> str:
    """The party a sentence first quotes or reports ("the PRC announced", "Beijing said"), if any."""
    best = ""
    best_at = -1
    for actor, pattern in _ACTOR_PATTERNS.items():
        said = re.compile(
            rf"(?:{pattern.pattern})(?:['’]s?)?(?:\s+[\w.-]+){{0,4}}?\s+{_SAYING}"
            rf"|according to (?:the\s+)?(?:{pattern.pattern})"
            rf"|{_SAYING}\s+(?:the\s+)?(?:{pattern.pattern})",
        )
        for match in said.finditer(text):
            if best_at < 0 or match.start() < best_at:
                best, best_at = actor, match.start()
            break
    return best


def _party_code(party: str) -> str:
    code = actor_of(party)
    return code or party.strip().casefold()


def speaks_for(party: str, counterpart: str, publisher: str, text: str) -> SpeaksFor:
    """Whose word a sentence rests on, relative to the pledge's committing party.

    A party quoted in the sentence counts over the publisher: the State Department
    reporting "the PRC announced ..." rests on the PRC's word.
    """
    actor = attributed_actor(text) or actor_of(publisher)
    if not actor:
        return SpeaksFor.INDEPENDENT
    if actor == "international":
        return SpeaksFor.INTERNATIONAL_BODY
    committing = party.strip().casefold()
    if committing in ("joint", "both", "bilateral"):
        return SpeaksFor.COMMITTING_PARTY
    if actor == _party_code(party):
        return SpeaksFor.COMMITTING_PARTY
    if counterpart and actor == _party_code(counterpart):
        return SpeaksFor.COUNTERPART
    return SpeaksFor.INDEPENDENT
