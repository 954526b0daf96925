"""Writing the files a person asked for, safely: never over a file they did not mean to replace.

Every file is checked before any is written: the folder must be a folder (or creatable), a
name must not be a link (a link could send the bytes anywhere), and an existing file is
replaced only when the caller says so. Problems are one sentence each, naming the path.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class FileRefused(ValueError):
    """A file was not written; nothing was (the message names the path and why)."""


def prepare_folder(directory: Path) -> None:
    """The folder exists and is a folder, or FileRefused says why not."""
    if directory.is_symlink():
        raise FileRefused(f"{directory}: is a link; give a real folder")
    if directory.exists() and not directory.is_dir():
        raise FileRefused(f"{directory}: is a file, not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise FileRefused(f"{directory}: part of this path is a file, not a folder") from None
    except NotADirectoryError:
        raise FileRefused(f"{directory}: part of this path is a file, not a folder") from None
    except OSError as exc:
        raise FileRefused(f"{directory}: cannot be made ({exc.strerror or exc})") from None
    if not os.access(directory, os.W_OK):
        raise FileRefused(f"{directory}: cannot be written to (permission denied)")


def check_can_write(path: Path, force: bool = False) -> None:
    """Refuse, before any work, a file that may not be written: a link, something already there
    (unless `force`), something that is not a file, or a folder that does not exist."""
    if path.is_symlink():
        raise FileRefused(f"{path}: is a link; nothing was written (remove it, or write elsewhere)")
    if path.exists() and not force:
        raise FileRefused(f"{path}: already exists; nothing was written (give --force to replace it)")
    if path.exists() and not path.is_file():
        raise FileRefused(f"{path}: is not a file; nothing was written")
    if not path.parent.is_dir():
        raise FileRefused(f"{path}: there is no folder {path.parent}; nothing was written")


def write_files(files: Mapping[Path, bytes], force: bool = False) -> list[Path]:
    """Write each file, all checked first; an existing one only when `force`; links never."""
    for path in files:
        check_can_write(path, force)
    written = []
    for path, content in files.items():
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise FileRefused(f"{path}: cannot be written ({exc.strerror or exc})") from None
        written.append(path)
    return written
