"""Persistence: the store's tables, its one checked door for writes, fast reads and migrations."""
