"""Startup and storage errors an operator can cause: one line, exit 2, no traceback (issue 12, item 13)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import Store
from tests.bot_harness import EMPTY_FEED, write_config
from tests.feedserver import FeedServer
from tests.helpers import ROOT


def run_bot(cdir: Path, env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot", **env_extra}
    env.pop("DATABASE_URL", None)
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(cdir), "run"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def corrupt(db: Path) -> None:
    db.write_bytes(b"this is not a database, just text" * 100)


def newer(db: Path) -> None:
    Store(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE schema_version SET version = 999")


@pytest.mark.parametrize(
    ("case", "expect"),
    [("corrupt", "cannot open the database"), ("newer", "newer than this program"), ("scheme", "unknown or malformed database URL")],
)
def test_database_problems_are_one_line_and_exit_2(case: str, expect: str, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))
    db = tmp_path / "bot.db"
    env: dict[str, str] = {}
    if case == "corrupt":
        corrupt(db)
    elif case == "newer":
        newer(db)
    else:
        env["DATABASE_URL"] = "mongodb://127.0.0.1/ajel"
    proc = run_bot(cdir, env)
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(lines) == 1 and expect in lines[0], lines
