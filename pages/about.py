"""About and method: what the board's words mean, how status is worked out, and where the data come from."""

from pathlib import Path

import pandas as pd
import streamlit as st

from commitments import config
from ui import data, method

ledger = data.ledger()
data_dir = Path(config.setting("COMMITMENTS_DATA_DIR"))
stale_days = config.stale_after_days()

st.title("About and method")
st.markdown(
    "This dashboard tracks pledges governments have made and the dated evidence about each one. "
    "**Nobody types in a status.** Every status is worked out from the evidence by fixed rules, "
    "so the board can always say *why* a pledge stands where it does, and *who says so*."
)

st.header("The stages")
st.dataframe(
    pd.DataFrame([{"stage": s.label, "meaning": m} for s, m in method.STAGE_MEANINGS.items()]),
    hide_index=True,
    width="stretch",
)
st.markdown("Each stage implies the ones before it. Any stage can also carry flags:")
st.dataframe(
    pd.DataFrame([{"flag": f.value, "meaning": m} for f, m in method.FLAG_MEANINGS.items()]),
    hide_index=True,
    width="stretch",
)

st.header("Claimed, reported or verified")
st.markdown(
    "Every evidence row says whose word it rests on. A report by one government that *the other* "
    "announced something rests on the announcer's word. When everything behind a stage rests on the "
    "committing party's own word, the stage is shown as **claimed**, e.g. *in effect (claimed)*. "
    "Someone else saying so is not enough to verify it: their source must be strong enough. Until it is, "
    "the stage is **reported**, e.g. *in effect (reported)*, and the board says what verifying it would need."
)
st.markdown("\n".join(f"- **{s.value.replace('_', ' ')}**: {m}" for s, m in method.SPEAKS_FOR_MEANINGS.items()))
st.subheader("How strong a source is")
st.markdown(
    "Each row's source has a strength, strongest first. **Verified** needs one independent source of the "
    f"first two kinds, or sources that name their own sources from {method.CORROBORATING_PUBLISHERS} different "
    "publishers. One unattributed report never verifies. A row left without a strength gets a cautious default "
    "from whose word it is (below); an analyst raises it by saying so, which review can check."
)
st.dataframe(method.strengths_table(), hide_index=True, width="stretch")
st.subheader("What would count")
st.markdown(
    "Each pledge states in advance what would count as announced, in effect and verified: its criteria, shown "
    "on its page. An edit to a pledge or its criteria is kept as a new version with its date, and the audit "
    "view shows the criteria in force then."
)

st.header("The rules")
st.markdown("Applied in this order; this table is read from the status engine itself.")
st.dataframe(method.rules_table(stale_after_days=stale_days), hide_index=True, width="stretch")
st.markdown("What each kind of evidence does, unless the row says otherwise:")
st.dataframe(method.kinds_table(), hide_index=True, width="stretch")

st.header("Two time axes")
st.markdown(
    "- **As of** a date (the sidebar's date): counts what had *happened and been made public* by then, "
    "using each row's event date and its source's publication date. Use it to see the board as it stood "
    "at any past date.\n"
    "- **As recorded by** a date (the sidebar's audit switch): also leaves out whatever the team had not "
    "*entered into this tool* by then, including later corrections and retractions. It answers "
    "*what did we know when we briefed?*"
)

st.header("Corrections")
st.markdown(
    "Evidence rows are never edited or deleted. A **correction** is a new row that supersedes the old "
    "one and says why; a **retraction** withdraws a row with a reason. The old row stays in the "
    "evidence log, marked superseded or retracted, so the audit view still shows what was believed "
    "at the time. Every row records who entered it and when. Both are made on the *Add evidence* page."
)

st.header("Where the data come from")
active = ledger.counting_rows()
st.markdown(
    f"Catalogue: **{method.catalogue_title(data_dir)}**. "
    f"The store holds **{len(ledger.commitments)} pledges** and **{len(ledger)} evidence rows** "
    f"({active} counting; {len(ledger) - active} superseded or retracted). "
    "The pledges and the seed evidence are reviewable text files in `data/` (`catalogue.toml` and "
    "`evidence.csv`), drawn from these documents, kept verbatim in `data/sources/`:"
)
documents = method.seed_documents(data_dir, ledger)
if documents:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "document": d.title,
                    "publisher": d.publisher,
                    "file": d.file,
                    "pledges citing it": d.pledges,
                    "evidence rows citing it": d.evidence_rows,
                }
                for d in documents
            ]
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info("No seed documents were found in data/sources/.", icon=":material/info:")
st.caption(f"A pledge is flagged stale after {stale_days} days without evidence (setting COMMITMENTS_STALE_DAYS).")
