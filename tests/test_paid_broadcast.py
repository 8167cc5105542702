"""Paid broadcast: allow_paid_broadcast on each alert, and a global limit up to 1,000/s."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app.config import ConfigError, load_settings
from bot.core.models import OutboxRow
from bot.telegram.fast_sender import _body
from tests.bot_harness import write_config


def test_paid_broadcast_raises_the_global_limit_only(tmp_path: Path) -> None:
    limits = load_settings(write_config(tmp_path, "https://example.invalid/f.xml", limits="paid_broadcast = true"), env={}).limits
    assert limits.paid_broadcast and limits.global_per_second == 1000
    assert limits.per_chat_per_second == 1.0 and limits.group_per_minute == 20.0


def test_free_limits_stay_by_default(tmp_path: Path) -> None:
    limits = load_settings(write_config(tmp_path, "https://example.invalid/f.xml"), env={}).limits
    assert not limits.paid_broadcast and limits.global_per_second == 30


def test_paid_broadcast_caps_at_1000(tmp_path: Path) -> None:
    cdir = write_config(tmp_path, "https://example.invalid/f.xml", limits="paid_broadcast = true\nglobal_per_second = 5000")
    with pytest.raises(ConfigError, match="at most 1000"):
        load_settings(cdir, env={})


def test_the_send_carries_allow_paid_broadcast_only_when_on() -> None:
    row = OutboxRow("k", 42, "<b>x</b>", id=1)
    assert json.loads(_body(row, True))["allow_paid_broadcast"] is True
    assert "allow_paid_broadcast" not in json.loads(_body(row))


def test_the_pacing_margin_is_a_setting(tmp_path: Path) -> None:
    assert load_settings(write_config(tmp_path, "https://example.invalid/f.xml"), env={}).limits.safety == 0.93
    cdir = write_config(tmp_path, "https://example.invalid/f.xml", limits="paid_broadcast = true\nsafety = 0.97")
    assert load_settings(cdir, env={}).limits.safety == 0.97
    for bad in ("1.2", "0.2", "true", '"high"'):
        cdir = write_config(tmp_path, "https://example.invalid/f.xml", limits=f"safety = {bad}")
        with pytest.raises(ConfigError, match="safety"):
            load_settings(cdir, env={})
