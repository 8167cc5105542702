"""Public Telegram channels as a source (issue 10): parsing the t.me/s/ preview, paging back
to the last post known, edits, deleted posts, a name that is not a channel, check, and the
real poller and bot end to end. Pages are served by the local feed server."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from bot.app.cli import main
from bot.app.config import ConfigError, parse_feeds
from bot.core import breaking
from bot.core.decide import Policy
from bot.core.models import FeedConfig, item_key
from bot.core.subscriptions import ChatInfo, Subscriptions
from bot.feeds.channels import (
    MAX_PAGES,
    ChannelPageError,
    channel_name,
    items_from_posts,
    parse_page,
)
from bot.feeds.fetch import make_client
from bot.feeds.poller import Poller, PollReport
from bot.storage import Store
from bot.storage.boundary import Database
from tests.bot_harness import start_bot, write_config
from tests.channel_pages import NO_CHANNEL_PAGE, P, render_page
from tests.fake_telegram import FakeTelegram
from tests.feedserver import FeedServer
from tests.helpers import DATA

PAGES = DATA / "channels"
CH = "AjelDemoNews"
POLICY = Policy("Asia/Riyadh", 400, max_age_hours=None)


def demo_page() -> bytes:
    return (PAGES / "ajel_demo_page.html").read_bytes()


# --- parsing --------------------------------------------------------------------


def test_every_post_kind_of_the_demo_page() -> None:
    page = parse_page(demo_page())
    assert page.channel == CH and page.before == 4801
    assert [p.id for p in page.posts] == list(range(4801, 4809))
    by_id = {p.id: p for p in page.posts}
    rich = by_id[4801]
    assert rich.lines == (
        "🔴 عاجل | زلزال بقوة 6.1 درجات يضرب جنوب تركيا",
        "وقالت إدارة الكوارث والطوارئ التركية إن الزلزال وقع على عمق 10 كيلومترات قرب ولاية هاتاي، ولم ترد أنباء فورية عن إصابات.",
        "التفاصيل تتبع @AjelDemoNews",
    )
    assert rich.published is not None and rich.published.isoformat() == "2026-11-24T09:12:00+00:00"
    assert rich.link == "https://t.me/AjelDemoNews/4801"
    assert by_id[4802].media == ("photo",) and by_id[4802].lines == ("عاجل | مشاهد من موقع الانفجار في ميناء بيروت",)
    assert by_id[4803].forwarded_from == "الرئاسة المصرية"
    # A reply: the quoted post («عاجل | زلزال…») sits inside the reply link and is not this post's text.
    assert by_id[4804].reply_to == 4801 and by_id[4804].lines == ("تحديث: ارتفاع حصيلة ضحايا زلزال جنوب تركيا إلى 12 قتيلا",)
    assert by_id[4805].edited and not by_id[4804].edited
    assert by_id[4806].media == ("video",)
    assert by_id[4807].lines == () and by_id[4807].media == ("photo",)


def test_posts_become_items_headline_body_identity_and_breaking() -> None:
    items = {i.uid: i for i in items_from_posts("aja", parse_page(demo_page()).posts, now=1.8e9)}
    assert "tg:4807" not in items  # a photo without any text
    assert list(items) == [f"tg:{n}" for n in (4801, 4802, 4803, 4804, 4805, 4806, 4808)]
    quake = items["tg:4801"]
    assert quake.link == "https://t.me/AjelDemoNews/4801"
    assert quake.headline == "زلزال بقوة 6.1 درجات يضرب جنوب تركيا"
    assert quake.body.startswith("وقالت إدارة الكوارث")
    assert breaking.detect(quake).reason == "title_prefix"
    caption = items["tg:4802"]
    assert caption.headline == "مشاهد من موقع الانفجار في ميناء بيروت" and bool(breaking.detect(caption))
    assert bool(breaking.detect(items["tg:4803"]))  # forwarded: as the channel shows it
    assert not breaking.detect(items["tg:4804"]) and not breaking.detect(items["tg:4806"])
    # «🔴 عاجل» on a line of its own labels the next line.
    weather = items["tg:4808"]
    assert weather.headline == "الأرصاد الأردنية: منخفض جوي وأمطار غزيرة على عمّان مساء اليوم" and bool(breaking.detect(weather))
    # A breaking-only channel: every post is breaking.
    assert breaking.detect(items["tg:4806"], "all").reason == "feed_all"
    assert all(i.revision for i in items.values())


def test_an_edit_changes_the_revision_not_the_identity() -> None:
    before = render_page(CH, [P(10, "عاجل | انفجار في ميناء بيروت")])
    after = render_page(CH, [P(10, "عاجل | انفجار ضخم في ميناء بيروت وأنباء عن إصابات", edited=True)])
    (a,), (b,) = (items_from_posts("c", parse_page(x).posts, now=1.8e9) for x in (before, after))
    assert a.uid == b.uid and a.link == b.link and a.revision != b.revision


def test_a_name_that_is_not_a_channel_is_a_clear_error() -> None:
    with pytest.raises(ChannelPageError, match="not a public channel page") as caught:
        parse_page(NO_CHANNEL_PAGE)
    assert caught.value.telegram
    with pytest.raises(ChannelPageError):
        parse_page(b"<html><body><p>hello</p></body></html>")


def test_an_empty_channel_is_a_channel_without_posts() -> None:
    page = parse_page(render_page(CH, []))
    assert page.is_channel and page.posts == () and page.before is None


def test_channel_names() -> None:
    for source in ("tg:AJABreaking", "@AJABreaking", "https://t.me/s/AJABreaking", "t.me/AJABreaking", "https://t.me/AJABreaking/123",
                   "https://t.me/s/AJABreaking?before=5"):
        assert channel_name(source) == "AJABreaking", source
    for source in ("tg:x", "https://example.org/s/AJABreaking", "feed.xml", "tg:../../etc"):
        assert channel_name(source) is None, source


# --- config -------------------------------------------------------------------------


def test_config_channel_source_and_its_limits(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    (feed,) = parse_feeds({"feed": [{"id": "aja", "name": "الجزيرة عاجل", "kind": "telegram", "channel": "@AJABreaking",
                                     "interval": 10, "breaking": "all"}]}, path)
    assert (feed.kind, feed.channel, feed.url, feed.interval, feed.breaking) == ("telegram", "AJABreaking", "https://t.me/s/AJABreaking", 10, "all")
    (local,) = parse_feeds({"telegram_channels": {"base_url": "http://127.0.0.1:8080/"},
                            "feed": [{"id": "a", "name": "n", "kind": "telegram", "channel": "AJABreaking"}]}, path)
    assert local.url == "http://127.0.0.1:8080/s/AJABreaking" and local.interval == 30
    bad = [
        ({"kind": "telegram", "interval": 5, "channel": "AJABreaking"}, "too short for a channel"),
        ({"kind": "telegram"}, "needs 'channel'"),
        ({"kind": "telegram", "channel": "a/b"}, "needs 'channel'"),
        ({"kind": "mastodon", "url": "x"}, "'kind' must be"),
    ]
    for extra, message in bad:
        with pytest.raises(ConfigError, match=message):
            parse_feeds({"feed": [{"id": "a", "name": "n", **extra}]}, path)
    # Feeds keep theirs: 5 s stays allowed for an RSS feed.
    assert parse_feeds({"feed": [{"id": "a", "name": "n", "url": "https://x.example/rss", "interval": 5}]}, path)[0].interval == 5


# --- the poller over the local server ----------------------------------------------------


def channel(server: FeedServer, breaking_mode: str = "marked") -> FeedConfig:
    return FeedConfig("chan", "قناة عاجل", server.url(f"/s/{CH}"), 10, breaking_mode, (), kind="telegram", channel=CH)  # type: ignore[arg-type]


def subscriptions() -> Subscriptions:
    subs = Subscriptions()
    subs.set_chat(1, ChatInfo("ar"))
    subs.add(1, "بيروت")
    return subs


async def _poll(poller: Poller, feed: FeedConfig) -> PollReport:
    return await poller.poll(feed, force=True)


def run_polls(store: Store, feed: FeedConfig, before_each: list[object], subs: Subscriptions | None = None) -> list[PollReport]:
    """One Poller (one process) polling once per entry; a callable entry runs first (changes the pages)."""

    async def go() -> list[PollReport]:
        reports = []
        async with make_client() as client:
            poller = Poller(Database(store), client, subs or subscriptions(), POLICY)
            for step in before_each:
                if callable(step):
                    step()
                reports.append(await _poll(poller, feed))
        return reports

    return asyncio.run(go())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'bot.db'}")


def posts(first: int, last: int, *, skip: frozenset[int] = frozenset()) -> list[P]:
    return [P(n, f"عاجل | خبر رقم {n} من بيروت") for n in range(first, last + 1) if n not in skip]


def serve(server: FeedServer, all_posts: list[P], per_page: int = 20) -> None:
    """Serve `all_posts` as t.me does: the latest `per_page`, older ones at ?before=<oldest shown>."""
    ordered = sorted(all_posts, key=lambda p: p.id)
    latest = ordered[-per_page:]
    server.route(f"/s/{CH}", render_page(CH, latest, before=latest[0].id if len(ordered) > per_page else None))
    rest = ordered[: -per_page]
    while rest:
        page, rest = rest[-per_page:], rest[:-per_page]
        newer = ordered[ordered.index(page[-1]) + 1].id  # the oldest post of the newer page asks for these
        server.route(f"/s/{CH}?before={newer}", render_page(CH, page, before=page[0].id if rest else None))


def stored_uids(store: Store) -> list[int]:
    return sorted(int(u.removeprefix("tg:")) for u in store.recent_uids("chan", 10_000))


def test_pages_back_to_the_last_post_known_in_id_order(feed_server: FeedServer, store: Store) -> None:
    feed = channel(feed_server)
    serve(feed_server, posts(1, 20))
    first, second = run_polls(store, feed, [lambda: None, lambda: serve(feed_server, posts(1, 65))])
    assert first.new_items == 20
    # 45 new posts: the latest page shows 46-65, then ?before=46 (26-45), then ?before=26 (6-25) reaches 20.
    assert second.new_items == 45 and stored_uids(store) == list(range(1, 66))
    assert feed_server.hits(f"/s/{CH}?before=46") == 1 and feed_server.hits(f"/s/{CH}?before=26") == 1
    # Posts were processed, so their alerts queued, in id order (across the three pages too).
    post_of = {item_key("chan", f"tg:{n}"): n for n in range(1, 66)}
    assert [post_of[r.item_key] for r in store.pending(limit=1000)] == list(range(1, 66))


def test_the_cursor_survives_a_restart(feed_server: FeedServer, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    feed = channel(feed_server)
    serve(feed_server, posts(1, 20))
    run_polls(Store(url), feed, [None])
    serve(feed_server, posts(1, 50))
    (report,) = run_polls(Store(url), feed, [None])  # a new process: the cursor comes from the stored items
    assert report.new_items == 30 and stored_uids(Store(url)) == list(range(1, 51))
    assert feed_server.hits(f"/s/{CH}?before=31") == 1


def test_a_gap_is_logged_when_paging_cannot_reach_the_last_post(feed_server: FeedServer, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    feed = channel(feed_server)
    serve(feed_server, posts(1, 20))
    run_polls(store, feed, [None])
    serve(feed_server, posts(1, 20 + 20 * MAX_PAGES + 7))  # more than MAX_PAGES pages of new posts
    with caplog.at_level(logging.WARNING, logger="bot.poller"):
        (report,) = run_polls(store, feed, [None])
    gaps = [r.getMessage() for r in caplog.records if "event=channel_gap" in r.getMessage()]
    assert len(gaps) == 1 and "last_known=20" in gaps[0] and "reason=page_limit" in gaps[0] and f"pages={MAX_PAGES}" in gaps[0]
    assert report.new_items == 20 * MAX_PAGES and report.error is None


def test_deleted_posts_do_not_break_paging(feed_server: FeedServer, store: Store) -> None:
    feed = channel(feed_server)
    serve(feed_server, posts(1, 20))
    run_polls(store, feed, [None])
    # 21-25 deleted, and 41 and 43: the latest page shows 26-40, 42, 44-47 (20 posts) …
    serve(feed_server, posts(1, 47, skip=frozenset({21, 22, 23, 24, 25, 41, 43})))
    (report,) = run_polls(store, feed, [None])
    assert report.error is None and report.new_items == 20
    assert stored_uids(store) == [n for n in range(1, 48) if n not in {21, 22, 23, 24, 25, 41, 43}]


def test_first_poll_of_a_channel_reads_one_page_only(feed_server: FeedServer, store: Store) -> None:
    serve(feed_server, posts(1, 100))
    (report,) = run_polls(store, channel(feed_server), [None])
    assert report.new_items == 20 and feed_server.hits(f"/s/{CH}?before=81") == 0


def test_an_edited_post_is_detected_as_an_update(feed_server: FeedServer, store: Store, caplog: pytest.LogCaptureFixture) -> None:
    feed = channel(feed_server)
    original = [P(7, "عاجل | انفجار في ميناء بيروت"), P(8, "عاجل | خبر آخر من بيروت")]
    edited = [P(7, "عاجل | انفجار ضخم في ميناء بيروت وأنباء عن إصابات", edited=True), P(8, "عاجل | خبر آخر من بيروت")]
    feed_server.route(f"/s/{CH}", render_page(CH, original))
    with caplog.at_level(logging.INFO, logger="bot.poller"):
        first, same, changed, again = run_polls(store, feed, [
            None, None, lambda: feed_server.route(f"/s/{CH}", render_page(CH, edited)), None,
        ])
    assert (first.new_items, first.alerts, first.edited) == (2, 2, 0)
    assert (same.new_items, same.edited) == (0, 0)
    assert (changed.new_items, changed.alerts, changed.edited) == (0, 0, 1)  # no second alert: the item changed
    assert again.edited == 0
    assert any("event=item_edited uid=tg:7" in r.getMessage() for r in caplog.records)
    assert store.count_items() == 2
    with store.engine.connect() as conn:
        from sqlalchemy import text

        title = conn.execute(text("SELECT title FROM items WHERE uid = 'tg:7'")).scalar_one()
    assert title == "عاجل | انفجار ضخم في ميناء بيروت وأنباء عن إصابات"


def test_a_nonexistent_channel_is_a_per_source_error(feed_server: FeedServer, store: Store) -> None:
    # t.me sends /s/<name> of a name that is not a channel to the name's page.
    feed_server.redirect(f"/s/{CH}", "/nosuchchannel", status=302)
    feed_server.route("/nosuchchannel", NO_CHANNEL_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    first, second = run_polls(store, channel(feed_server), [None, None])
    assert first.error is not None and "not a public channel page" in first.error and second.error == first.error
    (state,) = store.feed_states()
    assert state.error_count == 2 and state.url == feed_server.url(f"/s/{CH}")


def test_a_server_error_is_a_fetch_error_with_backoff(feed_server: FeedServer, store: Store) -> None:
    feed_server.route(f"/s/{CH}", b"busy", status=503)
    (report,) = run_polls(store, channel(feed_server), [None])
    assert report.error == "HTTP 503"
    (state,) = store.feed_states()
    assert state.error_count == 1 and state.next_check > state.last_checked  # type: ignore[operator]


def test_conditional_requests_when_the_server_allows_them(feed_server: FeedServer, store: Store) -> None:
    feed_server.route(f"/s/{CH}", render_page(CH, posts(1, 3)), etag='"p1"')
    first, second = run_polls(store, channel(feed_server), [None, None])
    assert first.new_items == 3 and second.not_modified
    assert feed_server.last_headers(f"/s/{CH}").get("if-none-match") == '"p1"'


# --- check ------------------------------------------------------------------------------


def test_check_reads_a_saved_channel_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(PAGES / "ajel_demo_page.html"), "--topic", "تركيا", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == [f"tg:{n}" for n in (4801, 4802, 4803, 4804, 4805, 4806, 4808)]
    assert rows[0]["link"] == "https://t.me/AjelDemoNews/4801" and rows[0]["breaking_reason"] == "title_prefix"
    assert rows[0]["topics"] == ["تركيا"]


def test_check_a_channel_url_and_a_bad_name(feed_server: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    feed_server.route(f"/s/{CH}", demo_page(), headers={"Content-Type": "text/html; charset=utf-8"})
    assert main(["check", feed_server.url(f"/s/{CH}")]) == 0
    assert "7 items, 5 breaking" in capsys.readouterr().out
    assert main(["check", "tg:x"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a channel name" in err
    assert main(["check", str(PAGES / "no_channel.html")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a public channel page" in err and "Traceback" not in err


def test_check_tg_name_uses_the_configured_base_url(feed_server: FeedServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed_server.route(f"/s/{CH}", demo_page(), headers={"Content-Type": "text/html; charset=utf-8"})
    cdir = write_config(tmp_path, feed_server.url("/unused.xml"))
    feeds = cdir / "feeds.toml"
    feeds.write_text(f'[telegram_channels]\nbase_url = "{feed_server.url("")}"\n' + feeds.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["check", f"tg:{CH}", "--config", str(cdir)]) == 0
    assert "7 items, 5 breaking" in capsys.readouterr().out


# --- end to end: the real service, the fake Bot API ---------------------------------------


@pytest.fixture
def fake() -> FakeTelegram:
    with FakeTelegram(per_chat_per_second=None) as server:
        yield server


def test_a_channel_post_reaches_a_subscriber(fake: FakeTelegram, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.route(f"/s/{CH}", render_page(CH, [P(100, "تحليل: أسبوع حافل في الأسواق العربية")]))
    cdir = write_config(tmp_path, feed_server.url("/unused.xml"))
    (cdir / "feeds.toml").write_text(
        f'[telegram_channels]\nbase_url = "{feed_server.url("")}"\n\n'
        f'[[feed]]\nid = "demo-channel"\nname = "قناة عاجل التجريبية"\nkind = "telegram"\nchannel = "{CH}"\ninterval = 10\n',
        encoding="utf-8",
    )
    chat = 2001

    async def scenario() -> None:
        h = await start_bot(fake, feed_server, cdir)
        await h.subscribe(chat, "بيروت")
        before = len(fake.messages_to(chat))
        feed_server.route(f"/s/{CH}", render_page(CH, [
            P(100, "تحليل: أسبوع حافل في الأسواق العربية"),
            P(101, "🔴 عاجل | انفجار ضخم في ميناء بيروت وأنباء عن إصابات\nوقالت مصادر أمنية إن الانفجار وقع في أحد المستودعات قرب الرصيف الثالث.",
              time="2026-11-24T09:12:00+00:00"),
        ]))
        # The channel polls every 10 s (with jitter): the post arrives within one interval.
        (alert,) = (await h.wait(lambda: fake.wait_for_messages(chat, before + 1, timeout=25)))[before:]
        assert "انفجار ضخم في ميناء بيروت وأنباء عن إصابات" in alert.text
        assert "https://t.me/AjelDemoNews/101" in alert.text and "قناة عاجل التجريبية" in alert.text
        assert "#بيروت" in alert.text
        assert await h.shutdown() == 0

    asyncio.run(scenario())


def test_a_label_and_a_place_on_the_first_line_join_the_news_below() -> None:
    from bot.core.breaking import detect
    from bot.feeds.channels import Post, items_from_posts

    (got,) = items_from_posts("c", [Post("c", 7, ("عاجل | الكويت:", "الدفاعات الجوية تتصدى لهجمات صاروخية"))])
    assert detect(got)
    assert got.headline == "الكويت: الدفاعات الجوية تتصدى لهجمات صاروخية"


def test_a_post_edited_to_say_breaking_alerts_once(feed_server: FeedServer, store: Store) -> None:
    """Newsrooms post first and mark «عاجل» by editing: the edit is the breaking news, sent once."""
    feed = channel(feed_server)
    plain = [P(9, "انفجار في مرفأ بيروت وأنباء عن إصابات")]
    marked = [P(9, "عاجل | انفجار في مرفأ بيروت وأنباء عن إصابات", edited=True)]
    feed_server.route(f"/s/{CH}", render_page(CH, plain))
    first, promoted, again = run_polls(store, feed, [
        None, lambda: feed_server.route(f"/s/{CH}", render_page(CH, marked)), None,
    ])
    assert (first.new_items, first.breaking, first.alerts) == (1, 0, 0)
    assert (promoted.new_items, promoted.alerts) == (0, 1)
    assert again.alerts == 0 and again.edited == 0
    assert [r.item_key for r in store.pending(limit=10)] == [item_key("chan", "tg:9")]
    assert store.count_items() == 1
    with store.engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT breaking FROM items WHERE uid = 'tg:9'")).scalar_one()


def test_an_alerted_post_edited_again_still_only_edits(feed_server: FeedServer, store: Store) -> None:
    feed = channel(feed_server)
    v1 = [P(11, "عاجل | غارة على بيروت")]
    v2 = [P(11, "عاجل | غارة إسرائيلية على الضاحية الجنوبية لبيروت", edited=True)]
    feed_server.route(f"/s/{CH}", render_page(CH, v1))
    first, changed = run_polls(store, feed, [None, lambda: feed_server.route(f"/s/{CH}", render_page(CH, v2))])
    assert first.alerts == 1 and (changed.alerts, changed.edited) == (0, 1)
    assert len(store.pending(limit=10)) == 1
