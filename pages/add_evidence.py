"""Add evidence: a new row by form, a correction or retraction of a recorded row, or a CSV import.

Every check is the models' and the store's; a refused entry shows its message under the
field it is about and keeps what was typed.
"""

import pandas as pd
import streamlit as st

from commitments.files.evidence_csv import EVIDENCE_COLUMNS
from ui import corrections, data, evidence_form, evidence_import, widgets
from ui.recorder import recorder_input, stop_unless_may_record

NEW = "new_"
FIX = corrections.PREFIX

ledger = data.ledger()
pledges = {c.id: c for c in ledger.commitments}
titles = {c.id: c.title for c in ledger.commitments}


def show_row(evidence_id: str) -> None:
    row = corrections.find_row(ledger, evidence_id)
    if row is not None:
        shown = evidence_form.row_table(row, titles.get(row.commitment_id, ""))
        table = pd.DataFrame(shown.items(), columns=["field", "value"])
        st.dataframe(table, hide_index=True, width="stretch", height=36 + 35 * len(table))


st.title("Add evidence")
st.caption(
    "Record a dated piece of evidence about a pledge. Rows are never edited or deleted: a correction "
    "is a new row that supersedes the old one, and a retraction withdraws a row with a reason."
)
stop_unless_may_record()
all_errors = {**evidence_form.errors_of(NEW), **evidence_form.errors_of(FIX), **corrections.retract_errors()}
with st.columns([1, 2])[0]:
    recorder_input(all_errors.get(evidence_form.RECORDER_ERROR, ""))

new_tab, fix_tab, import_tab = st.tabs(["New evidence", "Correct or retract", "Import CSV"])

with new_tab:
    evidence_form.start(NEW)
    with st.form("new_evidence"):
        evidence_form.draw_fields(NEW, list(pledges.values()))
        st.form_submit_button("Save evidence", type="primary", on_click=evidence_form.save, args=(NEW,))
    evidence_form.show_outcome(NEW)
    saved_id = st.session_state.get(evidence_form.key(NEW, "saved"))
    saved_row = corrections.find_row(ledger, saved_id) if saved_id else None
    if saved_row is not None:
        st.success(widgets.saved_sentence(saved_row, titles, *evidence_form.moved(NEW)), icon=":material/check:")
        st.page_link(
            widgets.DETAIL_PAGE,
            label="Open the pledge",
            icon=":material/arrow_forward:",
            query_params={**widgets.shared_params(), widgets.PLEDGE_PARAM: saved_row.commitment_id},
        )
        show_row(saved_row.id)

with fix_tab:
    # The pledge first: a big store has far too many rows for one list.
    counts = ledger.open_row_counts()
    if st.session_state.get(corrections.PLEDGE_KEY) not in counts:
        st.session_state[corrections.PLEDGE_KEY] = None
    pledge_id = st.selectbox(
        "Pledge the row is about",
        list(counts),
        key=corrections.PLEDGE_KEY,
        format_func=lambda i: f"{titles.get(i, i)} · {counts[i]} row{'s' if counts[i] != 1 else ''}",
        placeholder="Choose a pledge …",
    )
    open_rows = corrections.open_row_labels(ledger, titles, pledge_id) if pledge_id else {}
    if st.session_state.get(corrections.ROW_KEY) not in open_rows:
        st.session_state[corrections.ROW_KEY] = None
    st.selectbox(
        "Row to correct or retract",
        list(open_rows),
        key=corrections.ROW_KEY,
        format_func=lambda i: open_rows.get(i, i),
        placeholder="Choose a recorded row …" if pledge_id else "Choose a pledge first",
        disabled=not pledge_id,
        on_change=corrections.on_row_chosen,
        help="Only rows that still count are listed; superseded and retracted rows stay in the evidence log.",
    )
    fix_saved = st.session_state.get(evidence_form.key(FIX, "saved"))
    fixed_row = corrections.find_row(ledger, fix_saved)
    if fixed_row is not None:
        old_id = fixed_row.supersedes
        waits = " once someone else confirms it (Review page)" if fixed_row.needs_review else ""
        st.success(f"Correction saved as row {fix_saved}; it supersedes row {old_id}{waits}.", icon=":material/check:")
        show_row(fix_saved)
    retracted = st.session_state.get(corrections.RETRACTED)
    if retracted and st.session_state.get(corrections.RETRACTION_WAITS):
        st.success(
            f"Retraction of row {retracted} recorded: the row counts until someone else confirms the "
            "retraction on the Review page.",
            icon=":material/check:",
        )
    elif retracted:
        st.success(f"Row {retracted} is retracted: it no longer counts, and stays in the log.", icon=":material/check:")
    chosen = corrections.find_row(ledger, st.session_state[corrections.ROW_KEY])
    if chosen is not None:
        action = st.radio(
            "What is wrong with it?",
            ["correct", "retract"],
            format_func=lambda a: {
                "correct": "Some details are wrong: record a corrected row",
                "retract": "It should not count at all: retract it",
            }[a],
            horizontal=True,
            key="fix_action",
        )
        if action == "correct":
            evidence_form.start(FIX)
            with st.form("correct_evidence"):
                evidence_form.draw_fields(FIX, list(pledges.values()), fixed_pledge=pledges[chosen.commitment_id])
                evidence_form.draw_reason(FIX)
                st.form_submit_button(
                    "Save correction",
                    type="primary",
                    on_click=corrections.save_correction,
                    args=(chosen.id, chosen.commitment_id),
                )
            evidence_form.show_outcome(FIX)
        else:
            with st.form("retract_evidence"):
                st.text_area("Reason for the retraction", key=corrections.REASON_KEY, height=80)
                for column, message in corrections.retract_errors().items():
                    label = corrections.RETRACT_LABELS.get(column, column)
                    st.error(f"**{label}**: {message}", icon=":material/error:")
                st.form_submit_button("Retract row", type="primary", on_click=corrections.retract)

with import_tab:
    st.markdown(
        f"Fill in the template in a spreadsheet (one row per piece of evidence, the columns of the evidence log), "
        f"save it as CSV (UTF-8) and upload it. Every row is checked first; the rows are saved all together, or "
        f"none. At most {evidence_import.MAX_MEGABYTES} MB."
    )
    st.download_button(
        "Download the template",
        data=evidence_import.template_csv(ledger).encode("utf-8"),
        file_name=evidence_import.TEMPLATE_FILE_NAME,
        mime="text/csv",
        icon=":material/download:",
        help=f"Columns: {', '.join(EVIDENCE_COLUMNS)}. The example row is real and already recorded; replace it.",
    )
    st.file_uploader(
        "Evidence CSV",
        type=["csv", "text/csv"],
        key=evidence_import.upload_key(),
        max_upload_size=evidence_import.MAX_MEGABYTES,
    )
    result = st.session_state.get(evidence_import.RESULT)
    if result:
        st.success(
            f"Imported {len(result['new'])} new row(s) from {result['file']}"
            + (f"; {result['repeated']} were already recorded." if result["repeated"] else "."),
            icon=":material/check:",
        )
    import_error = st.session_state.get(evidence_import.ERROR)
    if import_error:
        st.error(import_error, icon=":material/error:")
    checked = evidence_import.uploaded()
    if checked is not None and checked.problem:
        st.error(checked.problem, icon=":material/error:")
    elif checked is not None:
        if checked.errors:
            st.error(
                f"{len(checked.errors)} problem(s) in {checked.name}; nothing can be imported until all are fixed. "
                "Row numbers are the spreadsheet's (the header is row 1).",
                icon=":material/error:",
            )
            st.dataframe(evidence_import.errors_frame(checked.errors), hide_index=True, width="stretch")
        st.markdown(f"**Preview** ({len(checked.rows)} row(s) read)")
        st.dataframe(evidence_import.preview_frame(checked), width="stretch")
        st.button(
            f"Import {len(checked.drafts)} rows" if checked.drafts else "Import (fix the problems first)",
            type="primary",
            disabled=not checked.drafts,
            on_click=evidence_import.import_rows,
        )
