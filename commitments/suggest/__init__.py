"""Suggestions from documents: sentences, dates and cues read from text, ranked against the pledges.

Nothing here writes evidence on its own: proposals become rows only when an analyst accepts
them (`commitments.suggest.documents.accept`, through the store's checked door).
"""
