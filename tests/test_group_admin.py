"""Group state changes only by admins (issue 12, item 6).

Before: any /help from an English client switched a group's alerts to
English; /start from another forum thread moved the alerts there; /start
after an admin's /stop re-subscribed the group.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.storage import Store
from tests.bot_harness import EMPTY_FEED, start_bot, write_config
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer

GROUP, FORUM, THREAD, OTHER_THREAD = -4001, -1004002, 7, 9
ADMIN, MEMBER = 21, 22


def test_only_admins_change_a_groups_language_thread_and_subscription(feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route("/news.xml", EMPTY_FEED)
    cdir = write_config(tmp_path, feed_server.url("/news.xml"))

    async def scenario() -> None:
        with FakeTelegram(per_chat_per_second=None) as fake:
            h = await start_bot(fake, feed_server, cdir)
            store = Store(h.settings.database_url)
            await h.say(GROUP, "/start", chat_type="group", user_id=ADMIN, is_admin=True)
            # A member with an English client asks for help: the group stays Arabic.
            await h.say(GROUP, "/help", chat_type="group", user_id=MEMBER, is_admin=False, language_code="en")
            chat = store.chat(GROUP)
            assert chat is not None and chat.lang == "ar"

            # A forum: the admin subscribes in one thread; a member's /start elsewhere moves nothing.
            await h.say(FORUM, "/start", chat_type="supergroup", user_id=ADMIN, is_admin=True, thread_id=THREAD)
            await h.say(FORUM, "/start", chat_type="supergroup", user_id=MEMBER, is_admin=False, thread_id=OTHER_THREAD)
            forum = store.chat(FORUM)
            assert forum is not None and forum.thread_id == THREAD
            assert "المشرفون فقط" in fake.messages_to(FORUM)[-1].plain

            # The admin stops the group; a member cannot re-subscribe it.
            await h.say(GROUP, "/stop", chat_type="group", user_id=ADMIN, is_admin=True)
            await h.say(GROUP, "/start", chat_type="group", user_id=MEMBER, is_admin=False)
            assert store.chat(GROUP) is None
            assert await h.shutdown() == 0

    asyncio.run(scenario())
