"""`python -m bot run`: the long-running Telegram service (completed by the Telegram issue)."""

from __future__ import annotations

import os
import sys

from bot.config import Settings


async def run_service(settings: Settings) -> int:
    if not os.environ.get("TELEGRAM_BOT_TOKEN", "").strip():
        print("TELEGRAM_BOT_TOKEN is not set: export your bot's token (from @BotFather) and run again.", file=sys.stderr)
        return 2
    print("the Telegram service is not built yet", file=sys.stderr)
    return 1
