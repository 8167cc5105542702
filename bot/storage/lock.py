"""One running instance per database, until several are designed on purpose.

A second `run` on the same database would poll and send too: duplicate
alerts, 429s, IntegrityErrors. SQLite: an exclusive `flock` on a file next
to the database (released by the kernel if the process dies, even by
SIGKILL). PostgreSQL: a session advisory lock held on a dedicated
connection for the life of the process.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text

# An arbitrary constant shared by every instance of this program ("ajel").
_PG_LOCK_KEY = 0x616A656C


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


class _AdvisoryLock:
    def __init__(self, engine: Engine) -> None:
        self._conn: Connection | None = engine.connect()
        got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": _PG_LOCK_KEY}).scalar()
        self._conn.commit()
        if not got:
            self._conn.close()
            self._conn = None
            raise InstanceLockedError("another instance is already running on this PostgreSQL database; stop it first")

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # the session ends, and the advisory lock with it
            self._conn = None


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
    if url.get_backend_name() == "postgresql":
        return _AdvisoryLock(engine)
    return _NoLock()
