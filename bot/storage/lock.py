"""One running instance per SQLite database.

A second `run` on the same SQLite file would poll and send too: duplicate
alerts, 429s, IntegrityErrors. An exclusive `flock` on a file next to the
database refuses it (released by the kernel if the process dies, even by
SIGKILL). PostgreSQL allows several instances: they elect one leader
(`bot.app.leadership`), so `acquire` takes no lock there.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine


class InstanceLockedError(Exception):
    """Another instance holds the database; str() is the one line to show."""


class InstanceLock(Protocol):
    def release(self) -> None: ...


class _FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise InstanceLockedError(
                f"another instance is already running on this database (lock file {path}); stop it first"
            ) from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1


class _NoLock:
    def release(self) -> None:
        pass


def acquire(engine: Engine) -> InstanceLock:
    """Take the database's instance lock or raise `InstanceLockedError`."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        db = url.database or ""
        if not db or db == ":memory:":
            return _NoLock()
        return _FileLock(Path(db + ".lock"))
    return _NoLock()  # PostgreSQL: several instances, one leader (bot.app.leadership)
