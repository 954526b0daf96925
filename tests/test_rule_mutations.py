"""Every comparison in the rules module is pinned: flip one, and a case of the rule table fails.

For each `<`, `<=`, `>`, `>=`, `==` and `!=` written in commitments/status.py, the module is
compiled again with that one comparison flipped (`<` to `<=`, `==` to `!=` ...), its
functions are put in place of the real ones (the engine calls them through the module),
and the rule table (tests/rule_table.py) is run through the production engine. A flip
that no case notices is a boundary the table does not pin. A comparison whose flip is
provably harmless would carry the comment `# flip-equivalent: why` on its line; there is
none today.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest

import commitments.status as rules_module
from tests.rule_table import CASES, Case, run

FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}
SOURCE = Path(inspect.getfile(rules_module)).read_text(encoding="utf-8")
EQUIVALENT_LINES = {n for n, line in enumerate(SOURCE.splitlines(), start=1) if "# flip-equivalent:" in line}


def comparisons() -> Iterator[tuple[int, int, int]]:
    """(line, column, operator index) of every flippable comparison in the rules module."""
    for node in ast.walk(ast.parse(SOURCE)):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in FLIPS:
                    yield node.lineno, node.col_offset, i


def mutant(target: tuple[int, int, int]) -> str:
    tree = ast.parse(SOURCE)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and (node.lineno, node.col_offset) == target[:2]:
            node.ops[target[2]] = FLIPS[type(node.ops[target[2]])]()
    return ast.unparse(tree)


def noticed(case: Case) -> bool:
    try:
        return run(case) != (case.stage, case.basis, case.flags)
    except Exception:  # a flip that breaks the engine outright is noticed too
        return True


def test_the_rules_module_has_comparisons_to_flip() -> None:
    assert len(list(comparisons())) >= 25


def test_every_comparison_in_the_rules_is_pinned_by_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    survivors = []
    for target in comparisons():
        if target[0] in EQUIVALENT_LINES:
            continue
        namespace: dict[str, object] = {"__name__": rules_module.__name__}
        exec(compile(mutant(target), f"{rules_module.__file__} (mutant)", "exec"), namespace)
        with monkeypatch.context() as patch:
            for name, value in namespace.items():
                if inspect.isfunction(value) and value.__module__ == rules_module.__name__:
                    patch.setattr(rules_module, name, value)
            if not any(noticed(case) for case in CASES):
                line = SOURCE.splitlines()[target[0] - 1].strip()
                survivors.append(f"line {target[0]}: {line}")
    assert not survivors, "flipping these comparisons leaves every rule-table case as it was:\n" + "\n".join(survivors)
