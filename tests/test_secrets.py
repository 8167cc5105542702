"""The token never appears in a log line, a traceback or an error line (issue 12, item 3)."""

from __future__ import annotations

import io
import logging

import pytest

from bot.app.secrets import RedactingFormatter, redact

TOKEN = "123456789:AAH-recognisableSecretTokenValue_xyz0"


def test_redact_removes_the_configured_token_and_anything_token_shaped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    text = f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed; other 987654:{'x' * 35}"
    out = redact(text)
    assert TOKEN not in out and "x" * 35 not in out and out.count("<token>") == 2


def test_tracebacks_in_logs_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(levelname)s %(message)s"))
    log = logging.getLogger("test.secrets")
    log.addHandler(handler)
    try:
        raise RuntimeError(f"request to https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        log.exception("event=boom url=%s", f"https://api.telegram.org/bot{TOKEN}/getMe")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert "Traceback" in text and TOKEN not in text
