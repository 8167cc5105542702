"""Replies longer than one Telegram message are split where Telegram will accept every part."""

from __future__ import annotations

from bot.core.telegram_limits import (
    MAX_MESSAGE_UNITS,
    fits,
    split_message,
    utf16_len,
    visible_text,
)


def test_a_short_reply_is_one_message_unchanged() -> None:
    assert split_message("<b>مواضيعك</b>\n\n• غزة") == ["<b>مواضيعك</b>\n\n• غزة"]
    assert split_message("") == []


def test_long_replies_split_at_line_breaks_with_tags_whole() -> None:
    lines = [f"<b>{i}</b> «غزة» موجود في قائمتك بالفعل." for i in range(300)]
    parts = split_message("\n".join(lines))
    assert len(parts) == 3 and all(fits(p) for p in parts)
    assert "\n".join(parts).split("\n") == lines  # nothing lost, nothing reordered


def test_a_line_longer_than_a_message_becomes_shortened_plain_text() -> None:
    (part,) = split_message("<i>" + "&lt;ب" * 3000 + "</i>")
    assert fits(part) and part.endswith("…") and "<i>" not in part
    assert visible_text(part).startswith("<ب<ب")


def test_emoji_count_as_two_units_as_telegram_counts_them() -> None:
    parts = split_message("\n".join(["😀" * 100] * 40))
    assert len(parts) == 2 and all(utf16_len(visible_text(p)) <= MAX_MESSAGE_UNITS for p in parts)


def test_a_flood_is_capped_with_an_ellipsis() -> None:
    parts = split_message("\n".join(["x" * 1000] * 40), max_parts=4)
    assert len(parts) == 4 and parts[-1].endswith("\n…") and all(fits(p) for p in parts)
