"""`python -m commitments policy show|set`: the deployment's rules, kept in the database.

Every process that opens the database obeys the rules kept there, whatever its own
environment says; this is how an operator changes them (each change is kept, with who made
it and when).
"""

from __future__ import annotations

import argparse

from commitments.access import AccessPolicy, names_in
from commitments.cli.common import Subcommands, UsageError, person
from commitments.store.store import Store

YES = ("yes", "true", "1", "on")
NO = ("no", "false", "0", "off")


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise argparse.ArgumentTypeError(f"{text!r} is not yes or no")


def _auth(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("none", "oidc"):
        raise argparse.ArgumentTypeError(f"{text!r}: say 'oidc' (sign-in required) or 'none'")
    return value == "oidc"


def cmd_policy_show(args: argparse.Namespace) -> int:
    store = Store.from_environment()
    try:
        store.create_schema()
        history = store.policy_history()
        print(f"now: {store.policy.describe()}")
        for version in history:
            print(f"  {version.recorded_at:%Y-%m-%d %H:%M} UTC  by {version.recorded_by}: {version.policy.describe()}")
            if version.note:
                print(f"      ({version.note})")
        if not history:
            print("  (no policy stored yet: the first process to open the database stores its environment's)")
        disagreement = store.environment_disagrees()
        if disagreement:
            print(f"note: {disagreement}")
    finally:
        store.dispose()
    return 0


def cmd_policy_set(args: argparse.Namespace) -> int:
    store = Store.from_environment()
    try:
        store.create_schema()
        now = store.policy
        changes = {
            "sign_in": args.auth,
            "recorders": names_in(args.recorders) if args.recorders is not None else None,
            "reviewers": names_in(args.reviewers) if args.reviewers is not None else None,
            "require_review": args.require_review,
        }
        wanted = AccessPolicy.model_validate(
            {**now.model_dump(), **{k: v for k, v in changes.items() if v is not None}}
        )
        if wanted == now:
            raise UsageError("nothing to change: give --auth, --recorders, --reviewers or --require-review")
        store.set_policy(wanted, args.by, args.note)
        print(f"the database's policy is now: {wanted.describe()}")
    finally:
        store.dispose()
    return 0


def register(sub: Subcommands) -> None:
    policy = sub.add_parser("policy", help="who may record and review, as the database keeps it: show or set")
    actions = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    p = actions.add_parser("show", help="the rules every process on this database obeys, and their history")
    p.set_defaults(run=cmd_policy_show)
    p = actions.add_parser("set", help="change the rules (kept, with who changed them and when)")
    p.add_argument("--auth", type=_auth, help="'oidc': sign-in required (only named people write); 'none': no sign-in")
    p.add_argument("--recorders", help="comma-separated e-mail addresses that may record ('*': everyone signed in)")
    p.add_argument("--reviewers", help="comma-separated addresses that may also confirm others' rows")
    p.add_argument("--require-review", type=_yes_no, help="yes: new rows and retractions wait for a second person")
    p.add_argument("--by", type=person, required=True, help="who is changing the policy (your name)")
    p.add_argument("--note", default="", help="why (kept with the change)")
    p.set_defaults(run=cmd_policy_set)
