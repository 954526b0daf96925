"""Who may do what: readers, recorders and reviewers, and whether review is required.

Pure rules, read from settings once. The store enforces them on every write, so a
reader cannot write by calling the store any more than through a page; the dashboard
uses the same rules to decide what to show.

>>> policy = AccessPolicy(sign_in=True, recorders=frozenset({"ana@example.org"}))
>>> policy.role_of("ana@example.org").value, policy.role_of("bob@example.org").value
('recorder', 'reader')
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from commitments.config import setting


class Role(StrEnum):
    READER = "reader"
    RECORDER = "recorder"
    REVIEWER = "reviewer"  # may record, and confirm or send back what others recorded


class AccessDenied(PermissionError):
    """A write by someone whose role does not allow it; nothing was changed."""


def names_in(raw: str) -> frozenset[str]:
    """Comma-separated identities as a set (case does not count in e-mail addresses)."""
    return frozenset(n.strip().casefold() for n in raw.split(",") if n.strip())


class AccessPolicy(BaseModel):
    """The deployment's rules. The default (no sign-in) lets anyone who gives a name record."""

    model_config = ConfigDict(frozen=True)

    sign_in: bool = False
    recorders: frozenset[str] = frozenset()
    reviewers: frozenset[str] = frozenset()
    require_review: bool = False

    @field_validator("recorders", "reviewers", mode="after")
    @classmethod
    def _casefold(cls, names: frozenset[str]) -> frozenset[str]:
        # E-mail addresses from an identity provider do not keep one spelling of case.
        return frozenset(n.strip().casefold() for n in names if n.strip())

    @classmethod
    def from_settings(cls) -> AccessPolicy:
        auth = setting("COMMITMENTS_AUTH").strip().lower()
        if auth not in ("none", "oidc"):
            raise ValueError(f"COMMITMENTS_AUTH must be 'none' or 'oidc', not {auth!r}")
        return cls(
            sign_in=auth == "oidc",
            recorders=names_in(setting("COMMITMENTS_RECORDERS")),
            reviewers=names_in(setting("COMMITMENTS_REVIEWERS")),
            require_review=setting("COMMITMENTS_REQUIRE_REVIEW").strip().lower() in ("1", "true", "yes"),
        )

    def describe(self) -> str:
        """The rules in one line, as the command line and the operations guide say them.

        >>> AccessPolicy(sign_in=True, recorders=frozenset({"a@x.org"}), require_review=True).describe()
        'sign-in required; recorders: a@x.org; reviewers: none named; review required'
        """
        if not self.sign_in:
            reviewers = ", ".join(sorted(self.reviewers)) or "anyone but the recorder"
            review = "review required" if self.require_review else "no review"
            return f"no sign-in (a typed name records); reviewers: {reviewers}; {review}"
        recorders = ", ".join(sorted(self.recorders)) or "none named"
        reviewers = ", ".join(sorted(self.reviewers)) or "none named"
        review = "review required" if self.require_review else "no review"
        return f"sign-in required; recorders: {recorders}; reviewers: {reviewers}; {review}"

    def role_of(self, identity: str) -> Role:
        who = identity.strip().casefold()
        if not who:
            return Role.READER
        if not self.sign_in:
            # Nobody is signed in to check against: a typed name may record, and (unless
            # reviewers are named) anyone other than the recorder may confirm.
            return Role.REVIEWER if not self.reviewers or who in self.reviewers else Role.RECORDER
        if who in self.reviewers or "*" in self.reviewers:
            return Role.REVIEWER
        if who in self.recorders or "*" in self.recorders:
            return Role.RECORDER
        return Role.READER

    def check_may_record(self, identity: str) -> None:
        if not identity.strip():
            raise AccessDenied("recorded_by: say who is recording this evidence")
        if self.role_of(identity) is Role.READER:
            raise AccessDenied(f"recorded_by: {identity} may read the board but not record evidence")

    def check_may_review(self, reviewer: str, recorded_by: str) -> None:
        if self.role_of(reviewer) is not Role.REVIEWER:
            raise AccessDenied(f"reviewer: {reviewer or 'nobody'} is not a reviewer")
        if reviewer.strip().casefold() == recorded_by.strip().casefold():
            raise AccessDenied("reviewer: a row must be confirmed by someone other than who recorded it")
