"""The docs cannot drift from the code: every setting and command is in the README."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from commitments.cli import build_parser
from commitments.config import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_documented(name: str) -> None:
    assert f"`{name}`" in README


def _commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command: str) -> None:
    assert f"python -m commitments {command}" in README


def test_the_two_commands_are_in_the_readme() -> None:
    assert "pip install -r requirements.txt && streamlit run dashboard.py" in README
    assert "pip install -r requirements-dev.txt && python -m pytest" in README


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == "pip install -r requirements-dev.txt && python -m pytest"
