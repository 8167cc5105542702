"""One alert per story across outlets, edited in place (issue: channels and stories).

Pure parts first (similarity, the shown copy, rendering), then the whole
path: three local feeds report one earthquake in their own words within a
minute; the subscriber gets one message, edited twice to name the other two
outlets; a different event in the same place still gets its own alert.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from bot.app.config import Settings
from bot.app.runtime import Runtime, build_runtime
from bot.core import similarity
from bot.core.decide import Policy
from bot.core.formatting import AlertStyle
from bot.core.merging import Story, StoryCopy, find_story, render_story, shown_copy
from bot.core.models import FeedConfig, Limits
from bot.delivery.limiter import RateLimiter
from bot.storage import Store
from bot.telegram.fast_sender import HttpSender
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import ROOT

QUAKE_A = ("زلزال بقوة 6.1 درجات يضرب ولاية ملاطيا شرقي تركيا",
           "ضرب زلزال بقوة 6.1 درجات ولاية ملاطيا شرقي تركيا فجر اليوم، وفق هيئة الكوارث التركية التي لم تعلن بعد عن ضحايا.")
QUAKE_B = ("هيئة الكوارث التركية: زلزال بقوة 6.1 يهز ملاطيا شرق تركيا", "")
QUAKE_C = ("زلزال شدته 6.1 درجات يضرب شرق تركيا ويهز ملاطيا", "")
FIRE = ("حريق ضخم في سوق شعبي بمدينة ملاطيا شرقي تركيا", "")
OTHER_QUAKE = ("زلزال بقوة 4.2 درجات يضرب ولاية ملاطيا شرقي تركيا", "")


def sig(text: tuple[str, str]) -> similarity.Signature:
    return similarity.signature(*text)


def copy(key: str, feed: str, source: str, text: tuple[str, str], at: float = 0.0) -> StoryCopy:
    return StoryCopy(key, feed, source, text[0], text[1], at)


def test_paraphrases_of_one_event_are_one_story() -> None:
    assert similarity.same_story(sig(QUAKE_A), sig(QUAKE_B))
    assert similarity.same_story(sig(QUAKE_A), sig(QUAKE_C))


def test_same_place_or_other_magnitude_is_another_story() -> None:
    assert not similarity.same_story(sig(QUAKE_A), sig(FIRE))
    assert not similarity.same_story(sig(QUAKE_C), sig(FIRE))
    # Two measured quantities that differ: two earthquakes, whatever else they share.
    assert not similarity.same_story(sig(QUAKE_A), sig(OTHER_QUAKE))


def test_a_copy_from_the_same_outlet_never_joins_by_similarity() -> None:
    story = Story.of("s1", [copy("k1", "aj", "الجزيرة", QUAKE_A)])
    assert find_story(*QUAKE_B, [story], exclude_feed="aj") is None
    assert find_story(*QUAKE_B, [story], exclude_feed="ar") is story


def test_what_the_subscriber_sees_does_not_depend_on_arrival_order() -> None:
    a = copy("k1", "aj", "الجزيرة", QUAKE_A, 1.0)
    b = copy("k2", "ar", "العربية", QUAKE_B, 2.0)
    c = copy("k3", "sky", "سكاي نيوز", QUAKE_C, 3.0)
    style = AlertStyle()
    renders = {render_story(order, topics, style)
               for order, topics in [((a, b, c), ("تركيا", "زلازل")), ((c, b, a), ("زلازل", "تركيا")), ((b, a, c), ("تركيا", "زلازل"))]}
    assert len(renders) == 1
    html = renders.pop()
    assert shown_copy([c, b, a]) is a  # the fullest text is shown
    assert "الجزيرة" in html.split("\n")[0] and "أيضًا: العربية، سكاي نيوز" in html


# --------------------------------------------------------------------------- end to end


def rss(items: list[tuple[str, tuple[str, str]]]) -> bytes:
    now = format_datetime(datetime.now(UTC))
    body = "".join(
        f"<item><guid>{guid}</guid><title>عاجل | {escape(h)}</title><link>https://example.org/{guid}</link>"
        f"<pubDate>{now}</pubDate><description>{escape(lead)}</description></item>"
        for guid, (h, lead) in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def subscribe(db: str, topics: dict[int, str]) -> None:
    """Private chats, each following one topic."""
    store = Store(db)
    for chat, topic in topics.items():
        store.upsert_chat(chat, "private", "ar")
        store.add_topic(chat, topic, topic)
    store.close()


@asynccontextmanager
async def running(db: str, fake: FakeTelegram, per_second: float = 1000) -> AsyncIterator[Runtime]:
    """The production wiring (build_runtime) sending to the fake Bot API."""
    settings = Settings(config_dir=ROOT / "config", database_url=db, telegram_base_url=fake.base_url)
    sender = HttpSender(fake.token, fake.base_url)
    rt = await build_runtime(settings, sender, limiter=RateLimiter(Limits(per_second, 1000, 1000)), policy=Policy(max_age_hours=None))
    assert rt.editor is not None
    try:
        yield rt
    finally:
        await rt.aclose()
        await sender.close()


async def settle(rt: Runtime) -> None:
    """Every alert and every edit due now, sent."""
    await rt.worker.drain()
    assert rt.editor is not None
    await rt.editor.drain()



def test_three_outlets_one_message_edited_twice_and_a_different_event_gets_its_own(tmp_path: Path) -> None:
    chat = 5001
    db = f"sqlite:///{tmp_path / 'stories.db'}"
    subscribe(db, {chat: "تركيا"})
    feeds = {
        "aj": ("الجزيرة", [("aj-1", QUAKE_A)]),
        "ar": ("العربية", [("ar-1", QUAKE_B)]),
        "sky": ("سكاي نيوز عربية", [("sky-1", QUAKE_C), ("sky-2", FIRE)]),
    }
    with FakeTelegram(per_chat_per_second=None) as fake, FeedServer() as srv:
        for fid, (_, items) in feeds.items():
            srv.route(f"/{fid}.xml", rss(items[:1]))
        configs = {fid: FeedConfig(fid, name, srv.url(f"/{fid}.xml"), 60) for fid, (name, _) in feeds.items()}

        async def scenario() -> None:
            async with running(db, fake) as rt:
                for fid in ("aj", "ar", "sky"):  # one after the other, as polls within a minute would
                    await rt.poller.poll(configs[fid], force=True)
                    await settle(rt)
                srv.set_body("/sky.xml", rss(feeds["sky"][1]))  # the same outlet, later: a fire in the same city
                await rt.poller.poll(configs["sky"], force=True)
                await settle(rt)

        asyncio.run(scenario())
        new = fake.messages_to(chat)
        edits = [m for m in fake.edits if m.chat_id == chat]
    assert len(new) == 2, [m.plain for m in new]  # the earthquake once, the fire once
    quake, fire = new
    assert QUAKE_A[0] in quake.text and FIRE[0] in fire.text
    assert [e.message_id for e in edits] == [quake.message_id, quake.message_id]
    assert "أيضًا: العربية" in edits[0].text and "سكاي" not in edits[0].text
    assert "أيضًا: العربية، سكاي نيوز عربية" in edits[1].text
    assert "أيضًا" not in fire.text


def test_an_item_whose_own_text_changes_edits_its_alert_instead_of_sending_again(tmp_path: Path) -> None:
    chat = 5002
    db = f"sqlite:///{tmp_path / 'update.db'}"
    subscribe(db, {chat: "تركيا"})
    first = ("زلزال يضرب شرق تركيا", "")
    fuller = ("زلزال بقوة 6.1 درجات يضرب ولاية ملاطيا شرقي تركيا", QUAKE_A[1])
    with FakeTelegram(per_chat_per_second=None) as fake, FeedServer() as srv:
        srv.route("/aj.xml", rss([("aj-1", first)]))
        feed = FeedConfig("aj", "الجزيرة", srv.url("/aj.xml"), 60)

        async def scenario() -> None:
            async with running(db, fake) as rt:
                for body in (rss([("aj-1", first)]), rss([("aj-1", fuller)])):  # same guid, the newsroom rewrote it
                    srv.set_body("/aj.xml", body)
                    await rt.poller.poll(feed, force=True)
                    await settle(rt)

        asyncio.run(scenario())
        new = fake.messages_to(chat)
        edits = [m for m in fake.edits if m.chat_id == chat]
    assert len(new) == 1 and first[0] in new[0].text
    assert len(edits) == 1 and edits[0].message_id == new[0].message_id and fuller[0] in edits[0].text


def test_check_json_says_which_recent_story_an_item_would_join(tmp_path: Path) -> None:
    from bot.app.check import TopicSet, as_json, check_items, recent_stories
    from bot.core.aliases import NO_ALIASES
    from bot.core.models import Item, ItemRecord

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    store = Store(url)
    first = StoryCopy("k-aj", "aj", "الجزيرة", QUAKE_A[0], QUAKE_A[1], time.time())
    record = ItemRecord("k-aj", "aj", "aj-1", QUAKE_A[0], None, None, True, "title_prefix", ("item:k-aj",))
    store.record([record], [], copies=[first])
    store.close()
    assert recent_stories(f"sqlite:///{tmp_path / 'missing.db'}") == []  # nothing to read: nothing created either
    assert not (tmp_path / "missing.db").exists()
    recent = recent_stories(url)
    items = [Item("check", "1", f"عاجل | {QUAKE_B[0]}", ""), Item("check", "2", f"عاجل | {FIRE[0]}", "")]
    same, other = [json.loads(as_json(c)) for c in check_items(items, "marked", TopicSet([], NO_ALIASES), recent)]
    assert same["merged"] is True and same["story"] == "k-aj" and same["merged_with"] == QUAKE_A[0]
    assert other["merged"] is False and other["story"] is None


def test_two_outlets_polled_at_the_same_moment_still_make_one_story(tmp_path: Path) -> None:
    chat = 5003
    db = f"sqlite:///{tmp_path / 'together.db'}"
    subscribe(db, {chat: "تركيا"})
    with FakeTelegram(per_chat_per_second=None) as fake, FeedServer() as srv:
        srv.route("/aj.xml", rss([("aj-1", QUAKE_A)]))
        srv.route("/ar.xml", rss([("ar-1", QUAKE_B)]))
        feeds = [FeedConfig("aj", "الجزيرة", srv.url("/aj.xml"), 60), FeedConfig("ar", "العربية", srv.url("/ar.xml"), 60)]

        async def scenario() -> None:
            async with running(db, fake) as rt:
                await asyncio.gather(*(rt.poller.poll(f, force=True) for f in feeds))
                await settle(rt)

        asyncio.run(scenario())
        new = fake.messages_to(chat)
        edits = [m for m in fake.edits if m.chat_id == chat]
    assert len(new) == 1 and len(edits) == 1 and "أيضًا" in edits[0].text


def test_a_new_story_does_not_wait_behind_another_storys_fan_out(tmp_path: Path) -> None:
    """A story's first recipients go ahead of the rest of a fan-out already queued."""
    db = f"sqlite:///{tmp_path / 'two.db'}"
    turkey, egypt = list(range(6000, 6150)), [7001, 7002, 7003]
    subscribe(db, {**dict.fromkeys(turkey, "تركيا"), **dict.fromkeys(egypt, "مصر")})
    with FakeTelegram(rate_per_second=None, per_chat_per_second=None) as fake, FeedServer() as srv:
        srv.route("/aj.xml", rss([("aj-1", QUAKE_A)]))
        srv.route("/eg.xml", rss([("eg-1", ("البرلمان المصري يقر قانون الانتخابات الجديد في جلسة طارئة بالقاهرة", ""))]))

        async def scenario() -> None:
            async with running(db, fake, per_second=40) as rt:
                stop = asyncio.Event()
                worker = asyncio.create_task(rt.worker.run(stop))
                try:
                    await rt.poller.poll(FeedConfig("aj", "الجزيرة", srv.url("/aj.xml"), 60), force=True)
                    await asyncio.sleep(0.5)  # story 1 is being sent: 150 messages at 40/s
                    await rt.poller.poll(FeedConfig("eg", "مصر اليوم", srv.url("/eg.xml"), 60), force=True)
                    await rt.worker.drain(timeout=30)
                finally:
                    stop.set()
                    await worker

        asyncio.run(scenario())
        first_egypt = min(m.at for c in egypt for m in fake.messages_to(c))
        last_turkey = max(m.at for c in turkey for m in fake.messages_to(c))
        assert all(len(fake.messages_to(c)) == 1 for c in turkey + egypt)
    assert first_egypt < last_turkey - 1.0, (first_egypt, last_turkey)
