"""The About and method page: it renders on the seed data, and what it explains is read
from the engine and the data, so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from commitments import status
from commitments.files.catalog import Catalogue
from commitments.models import EvidenceKind, Flag, Stage
from ui import method

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("COMMITMENTS_DB_URL", f"sqlite:///{tmp_path / 'dashboard.sqlite3'}")
    monkeypatch.setenv("COMMITMENTS_STALE_DAYS", "90")
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(DASHBOARD, default_timeout=60)
    app.run()
    app.switch_page("pages/about.py").run()
    yield app
    st.cache_data.clear()
    st.cache_resource.clear()


def page_text(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.header, *at.title])


def test_the_page_renders_on_the_seed_data(at: AppTest, catalogue: Catalogue) -> None:
    assert not at.exception
    assert [h.value for h in at.header] == [
        "The stages",
        "Claimed, reported or verified",
        "The rules",
        "Two time axes",
        "Corrections",
        "Where the data come from",
    ]
    text = page_text(at)
    assert catalogue.title in text
    assert f"{len(catalogue.commitments)} pledges" in text
    assert f"{len(catalogue.evidence)} evidence rows" in text


def test_the_rules_shown_are_the_engines_with_the_configured_stale_days(at: AppTest) -> None:
    shown = next(d.value for d in at.dataframe if list(d.value.columns) == ["rule", "result"])
    assert shown["result"].tolist() == method.rules_table()["result"].tolist()
    assert "no row for more than 90 days" in shown["rule"].tolist()
    # Every stage and flag the engine can produce has a rule on the page.
    results = " ".join(shown["result"])
    for stage in Stage:
        assert f"stage {stage.label}" in results
    for flag in Flag:
        assert flag.label in results


def test_every_stage_flag_and_kind_is_explained(at: AppTest) -> None:
    assert set(method.STAGE_MEANINGS) == set(Stage)
    assert set(method.FLAG_MEANINGS) == set(Flag)
    stages = next(d.value for d in at.dataframe if "stage" in d.value.columns)
    assert stages["stage"].tolist() == [s.label for s in Stage]
    kinds = next(d.value for d in at.dataframe if "kind" in d.value.columns)
    assert sorted(kinds["kind"]) == sorted(k.label for k in EvidenceKind)


def test_every_seed_document_is_listed_with_what_cites_it(at: AppTest, catalogue: Catalogue) -> None:
    files = sorted(p.name for p in (DATA / "sources").iterdir())
    documents = next(d.value for d in at.dataframe if "file" in d.value.columns)
    assert documents["file"].tolist() == files
    assert documents["evidence rows citing it"].sum() == sum(
        1 for e in catalogue.evidence if e.source.reference.removeprefix("sources/") in files
    )
    assert (documents["document"] != documents["file"]).all()  # named from the citations, not the file


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("no table here", "no rules table"),
        ("| rule | result |\n|---|---|", None),
    ],
)
def test_the_rules_table_parser(doc: str, message: str | None) -> None:
    if message:
        with pytest.raises(ValueError, match=message):
            method.rules_table(doc)
    else:
        assert method.rules_table(doc).empty


def test_the_engine_docstring_has_one_row_per_rule() -> None:
    table = method.rules_table(status.__doc__)
    assert len(table) >= len(Stage) + len(Flag)
    assert "stage pledged" in table["result"].tolist()


def test_the_strength_scale_is_explained_with_its_defaults(at: AppTest) -> None:
    from commitments.models import SourceStrength

    shown = next(d.value for d in at.dataframe if "strength" in d.value.columns)
    assert shown["strength"].tolist() == [s.label for s in SourceStrength]
    assert shown["verifies"].tolist()[-1] == "never"  # unattributed
    assert "independent" in shown.loc[shown["strength"] == "unattributed", "default for"].item()
    assert "Claimed, reported or verified" in [h.value for h in at.header]
