"""Every `python -m commitments` example in the README works as written.

The command-line block is run line by line, in order, as a newcomer would paste it, from a
folder of its own (so `briefing/` and `var/` land there, not in the repository) on a
scratch database. Commands mentioned in the prose are checked against the parser.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from commitments.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMAND = "python -m commitments"


def block_examples() -> list[str]:
    """The lines of the README's bash blocks that run the command line, comments dropped, each
    once (a section may repeat an example the command-line reference lists)."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            code = line.split("  #")[0].strip()
            if COMMAND in code:
                lines.append(code)
    return list(dict.fromkeys(lines))


def prose_examples() -> list[str]:
    return [span for span in re.findall(r"`([^`\n]+)`", README) if span.startswith(COMMAND)]


def as_process(line: str) -> tuple[dict[str, str], list[str], str | None]:
    """A shell line as (environment additions, argv after the module, stdin file)."""
    words = shlex.split(line)
    env: dict[str, str] = {}
    while "=" in words[0] and not words[0].startswith("-"):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[:3] == ["python", "-m", "commitments"], line
    args, stdin = words[3:], None
    if "<" in args:
        stdin = args[args.index("<") + 1]
        args = args[: args.index("<")]
    return env, args, stdin


def test_the_readme_has_examples_to_run() -> None:
    commands = {as_process(line)[1][0] for line in block_examples()}
    assert {"status", "changes", "export", "import-evidence", "retract", "policy", "match", "synth"} <= commands


def test_every_command_line_example_runs(tmp_path: Path) -> None:
    # A folder laid out like the repository (the package and data/), as the README asks.
    for name in ("commitments", "data"):
        (tmp_path / name).symlink_to(ROOT / name)
    base = {
        **{k: v for k, v in os.environ.items() if not k.startswith("COMMITMENTS_")},
        "COMMITMENTS_DB_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
    }
    for line in block_examples():
        extra, args, stdin = as_process(line)
        result = subprocess.run(
            [sys.executable, "-m", "commitments", *args],
            cwd=tmp_path,
            env={**base, **extra},
            stdin=(tmp_path / stdin).open("rb") if stdin else subprocess.DEVNULL,
            capture_output=True,
            timeout=300,
        )
        stderr = result.stderr.decode("utf-8", "replace")
        assert result.returncode == 0, f"{line}\n{stderr}"
        assert "Traceback" not in stderr, line
    # What the examples promise: the export imported back as nothing new, the seed row retracted.
    from commitments.store.store import Store

    store = Store(base["COMMITMENTS_DB_URL"])
    assert [r.evidence_id for r in store.retractions()] == ["seed-004-04"]
    store.dispose()
    assert (tmp_path / "briefing" / "status-board_as-of-2024-08-10.csv").exists()
    assert (tmp_path / "var" / "synth.sqlite3").exists()
    assert not (ROOT / "briefing").exists()


@pytest.mark.parametrize("example", prose_examples())
def test_every_command_the_prose_mentions_exists(example: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, args, _ = as_process(example)
    with pytest.raises(SystemExit) as finished:
        build_parser().parse_args([*args, "--help"])
    assert finished.value.code == 0, capsys.readouterr().err
