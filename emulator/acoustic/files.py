"""The emulator's FTP root: where BEX rotations write their files, one folder per FTP user,
``<root>/<ftpUserId>/download/`` (XML API job outputs land in the Download folder of the
FTP account; reference §6).

The root is ``--acoustic-ftp-root``, else ``<database file>.acoustic-ftp`` beside the
database; for ``:memory:`` a temporary directory, made at first use and removed by
:meth:`FtpRoot.close` (its files end with the process, as its store does). A file is
written to a hidden temporary file in its folder, a row at a time, and renamed to its name
once complete: a client watching the folder never sees half a file. A file is readable by
its owner only (``0600``): its rows name contacts by e-mail address. A name already taken
in the folder (two rotations in one second) gets ``-2``, ``-3``… before its extension.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from emulator.acoustic.core import files as shapes
from emulator.core.config import MEMORY
from emulator.store.db import create_private

DOWNLOAD = "download"
SUFFIX = ".acoustic-ftp"
_PARTIAL = ".partial"


@dataclass(frozen=True)
class Written:
    name: str
    rows: int  # events, the header not counted
    size: int  # bytes


def safe_segment(name: str) -> bool:
    """Whether ``name`` can be one path segment under the root: no separator, no NUL, not
    ``.``/``..`` nor hidden (the writer's temporary files are)."""
    return (
        bool(name)
        and len(name) <= 255
        and not name.startswith(".")
        and not any(c in name for c in "/\\\x00")
    )


class FtpRoot:
    def __init__(self, directory: Path | None, db_path: str) -> None:
        self._temporary = directory is None and db_path == MEMORY
        self._directory = directory or (None if self._temporary else Path(db_path + SUFFIX))

    @property
    def directory(self) -> Path:
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="eloqua-emulator-acoustic-ftp-"))
        self._directory.mkdir(parents=True, exist_ok=True)
        return self._directory

    def folder(self, user: str) -> Path:
        """The user's download folder, made if missing; a ``ValueError`` for a user id
        that is not one path segment."""
        if not safe_segment(user):
            raise ValueError(f"not an FTP folder name: {user!r}")
        folder = self.directory / user / DOWNLOAD
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def path(self, user: str, name: str) -> Path | None:
        """The file ``name`` of ``user``'s download folder, if both are plain names and it
        is there (never a path outside the root)."""
        if not (safe_segment(user) and safe_segment(name)) or self._directory is None:
            return None
        found = self._directory / user / DOWNLOAD / name
        root = self._directory.resolve()
        try:
            inside = found.resolve().is_relative_to(root)
        except OSError:
            return None
        return found if inside and found.is_file() else None

    def write(
        self, user: str, name: str, fmt: str, header: Sequence[str], rows: Iterable[list[str]]
    ) -> Written:
        """Stream ``rows`` under ``header`` into the folder, as ``name`` or its first free
        numbered form; what was written."""
        folder = self.folder(user)
        partial = folder / f".{secrets.token_hex(8)}{_PARTIAL}"
        count = 0
        try:
            create_private(partial)  # the events name people: the owner's alone
            with partial.open("w", encoding=shapes.ENCODING, newline="") as stream:
                out = shapes.writer(stream, fmt)
                out.writerow(header)
                for row in rows:
                    out.writerow(row)
                    count += 1
            final = self._free_name(folder, name)
            size = partial.stat().st_size
            os.replace(partial, folder / final)
        finally:
            partial.unlink(missing_ok=True)
        return Written(final, count, size)

    @staticmethod
    def _free_name(folder: Path, name: str) -> str:
        candidate, n = name, 1
        while (folder / candidate).exists():
            n += 1
            candidate = shapes.numbered(name, n)
        return candidate

    def empty(self) -> None:
        """Remove every file the users' download folders hold (a full reset)."""
        if self._directory is None or not self._directory.is_dir():
            return
        for user in self._directory.iterdir():
            folder = user / DOWNLOAD
            if user.is_dir() and folder.is_dir():
                for entry in folder.iterdir():
                    if entry.is_file() or entry.is_symlink():
                        entry.unlink(missing_ok=True)

    def close(self) -> None:
        if self._temporary and self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None
