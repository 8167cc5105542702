"""Forged button payloads (issue 12, item 11): parsed strictly, never an exception."""

from __future__ import annotations

import pytest

from bot.telegram import buttons


@pytest.mark.parametrize("raw", ["rm:²", "rm:٣", "rm:" + "9" * 30, "rm:" + "1" * 1_000_000, "p:-1", "ok:zz", "ok:", "", None, "x:1", "rm:1:2"])
def test_forged_payloads_are_not_presses(raw: str | None) -> None:
    assert buttons.parse(raw) is None


def test_payloads_we_make_round_trip() -> None:
    for kind, value in (("preset", 3), ("remove", 123456), ("follow", "0a1b2c3d"), ("cancel", "deadbeef")):
        press = buttons.parse(buttons.data(kind, value))  # type: ignore[arg-type]
        assert press is not None and press.kind == kind and press.value == str(value)
