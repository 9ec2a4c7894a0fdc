"""Finding the PDFs to import: a streamed walk that survives what real archives contain.

Symlink loops, unreadable folders and names that are not valid UTF-8 are reported, never fatal.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    problem: str | None = None  # why this entry cannot be imported, for the failures table


def display_path(path: Path | str) -> str:
    """The path as text that can always be stored and printed: undecodable bytes as \\xNN."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def iter_pdfs(paths: Iterable[Path]) -> Iterator[Found]:
    """Every `*.pdf` (any case) under the given files and folders, in a stable order."""
    for root in paths:
        root = Path(root)
        if root.is_dir():
            yield from _walk(root, set())
        elif root.exists():
            yield Found(root)
        elif root.is_symlink():
            yield Found(root, "broken symbolic link: its target does not exist")
        else:
            yield Found(root, "no such file or folder")


def _walk(folder: Path, visited: set[tuple[int, int]]) -> Iterator[Found]:
    try:
        info = folder.stat()
    except OSError as exc:
        yield Found(folder, f"cannot open the folder ({exc.strerror})")
        return
    key = (info.st_dev, info.st_ino)
    if key in visited:
        yield Found(folder, "symbolic link loop: this folder was already visited")
        return
    visited.add(key)
    try:
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        yield Found(folder, f"cannot list the folder ({exc.strerror})")
        return
    for entry in children:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(path, visited)
        elif entry.name.lower().endswith(".pdf"):
            try:
                entry.stat()
            except OSError as exc:
                yield Found(path, f"cannot read the file ({exc.strerror})")
                continue
            if not _valid_utf8(entry.name):
                yield Found(path, None)  # imported; the name is stored with \\xNN escapes
                continue
            yield Found(path)


def _valid_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False
