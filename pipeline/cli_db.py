"""Database commands of the `delib` CLI (import, search, ...). Filled in with the store."""
from __future__ import annotations


def add_commands(commands) -> None:
    return None
