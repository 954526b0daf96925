"""Files in and out: the catalogue in `data/`, the evidence-log CSV, and the exports."""
