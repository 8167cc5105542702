"""Unit tests for `bot.core.decide`: which items are recorded, which alerts are queued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.decide import Decision, Policy, decide, story_keys
from bot.core.models import FeedConfig, Item, item_key, own_key
from bot.core.subscriptions import ChatInfo, Subscriptions

FEED = FeedConfig(id="wire", name="وكالة الاختبار", url="https://example.com/rss")
NOW_DT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
NOW = NOW_DT.timestamp()
POLICY = Policy(timezone="Asia/Riyadh", lead_chars=400, max_age_hours=12.0)

NUCLEAR = "الملف النووي"
BREAKING_TITLE = "عاجل: اتصالات سرية بشأن الملف النووي بين طهران وواشنطن"
PLAIN_TITLE = "تحليل: ماذا بعد تعثر مفاوضات الملف النووي؟"


def make_item(
    uid: str = "u1",
    title: str = BREAKING_TITLE,
    body: str = "",
    link: str | None = None,
    published: datetime | None = NOW_DT - timedelta(hours=1),
    feed_id: str = FEED.id,
) -> Item:
    return Item(feed_id=feed_id, uid=uid, title=title, body=body, link=link, published=published)


def subscribers(*chats: tuple[int, str], lang: str = "ar") -> Subscriptions:
    """Subscriptions where each (chat_id, topic) pair follows that topic."""
    subs = Subscriptions()
    for chat_id, topic in chats:
        subs.set_chat(chat_id, ChatInfo(lang))
        assert subs.add(chat_id, topic) is not None
    return subs


def run(items: list[Item], subs: Subscriptions, known: set[str] | None = None, policy: Policy = POLICY) -> Decision:
    return decide(FEED, items, known or set(), subs, policy, NOW)


def prefixed(keys: tuple[str, ...], prefix: str) -> list[str]:
    return [k for k in keys if k.startswith(prefix)]


# --- decide -----------------------------------------------------------------


def test_new_breaking_item_is_recorded_and_alerts_each_matching_chat() -> None:
    subs = Subscriptions()
    subs.set_chat(1, ChatInfo("ar", thread_id=42))
    subs.add(1, NUCLEAR)
    subs.set_chat(2, ChatInfo("ar"))
    subs.add(2, NUCLEAR)
    subs.set_chat(3, ChatInfo("ar"))
    subs.add(3, "غزة")  # not in the item
    item = make_item(link="https://example.com/news/1")

    d = run([item], subs)

    (record,) = d.records
    key = item_key(FEED.id, item.uid)
    assert record.key == key
    assert (record.feed_id, record.uid, record.title, record.link) == (FEED.id, "u1", BREAKING_TITLE, item.link)
    assert record.breaking is True
    assert record.reason == "title_prefix"
    assert record.published == item.published.timestamp()  # type: ignore[union-attr]
    assert record.story_keys == story_keys(item)

    assert sorted(a.chat_id for a in d.alerts) == [1, 2]
    by_chat = {a.chat_id: a for a in d.alerts}
    assert all(a.item_key == key for a in d.alerts)
    assert all(a.topics == (NUCLEAR,) for a in d.alerts)
    assert all(a.created_at == NOW for a in d.alerts)
    assert sorted(a.priority for a in d.alerts) == [-1, 0]  # the story's first recipient, then the rest of its head
    assert by_chat[1].thread_id == 42
    assert by_chat[2].thread_id is None
    assert "اتصالات سرية بشأن الملف النووي" in by_chat[1].html
    assert "#الملف_النووي" in by_chat[1].html


def test_non_breaking_item_is_recorded_without_alerts() -> None:
    subs = subscribers((1, NUCLEAR))

    d = run([make_item(title=PLAIN_TITLE)], subs)

    (record,) = d.records
    assert record.breaking is False
    assert record.reason is None
    assert d.alerts == ()


def test_item_whose_own_key_is_known_is_skipped() -> None:
    subs = subscribers((1, NUCLEAR))
    item = make_item()

    d = run([item], subs, known={own_key(item_key(FEED.id, item.uid))})

    assert d == Decision((), ())


def test_copy_known_only_by_link_is_still_evaluated() -> None:
    """Another feed's copy shares the link key: the store, not decide, files it under the first copy."""
    subs = subscribers((1, NUCLEAR))
    item = make_item(link="https://example.com/news/1")
    (link_key,) = prefixed(story_keys(item), "link:")

    d = run([item], subs, known={link_key})

    assert len(d.records) == 1
    assert [a.chat_id for a in d.alerts] == [1]


def test_item_older_than_max_age_is_recorded_but_not_alerted() -> None:
    subs = subscribers((1, NUCLEAR))
    stale = make_item(uid="old", published=NOW_DT - timedelta(hours=12, minutes=1))
    recent = make_item(uid="new", published=NOW_DT - timedelta(hours=11, minutes=59))

    d = run([stale, recent], subs)

    assert [r.uid for r in d.records] == ["old", "new"]
    assert all(r.breaking for r in d.records)
    assert [a.item_key for a in d.alerts] == [item_key(FEED.id, "new")]


def test_no_age_limit_or_no_date_means_fresh() -> None:
    subs = subscribers((1, NUCLEAR))
    ancient = make_item(uid="old", published=NOW_DT - timedelta(days=30))
    undated = make_item(uid="undated", published=None)

    assert len(run([ancient], subs, policy=Policy(max_age_hours=None)).alerts) == 1
    assert len(run([ancient], subs).alerts) == 0
    d = run([undated], subs)
    assert d.records[0].published is None
    assert len(d.alerts) == 1


def test_same_item_twice_in_one_batch_is_recorded_once() -> None:
    subs = subscribers((1, NUCLEAR), (2, NUCLEAR))
    item = make_item()

    d = run([item, item], subs)

    assert len(d.records) == 1
    assert sorted(a.chat_id for a in d.alerts) == [1, 2]


def test_chats_with_same_language_and_topics_share_one_rendering() -> None:
    subs = Subscriptions()
    for chat_id, lang in ((1, "ar"), (2, "ar"), (3, "en")):
        subs.set_chat(chat_id, ChatInfo(lang))
        subs.add(chat_id, NUCLEAR)
    subs.set_chat(4, ChatInfo("ar"))
    subs.add(4, NUCLEAR)
    subs.add(4, "واشنطن")

    d = run([make_item()], subs)

    html = {a.chat_id: a.html for a in d.alerts}
    assert html[1] is html[2]
    assert "عاجل" in html[1] and "BREAKING" in html[3]
    assert html[3] != html[1]
    assert html[4] != html[1]  # other topics, other hashtags
    assert "#واشنطن" in html[4]


def test_all_breaking_chat_gets_every_breaking_item_with_empty_topics() -> None:
    subs = subscribers((1, "غزة"))
    subs.set_chat(9, ChatInfo("ar"), all_breaking=True)
    breaking_item = make_item(uid="b")
    plain_item = make_item(uid="p", title=PLAIN_TITLE)

    d = run([breaking_item, plain_item], subs)

    assert [(a.chat_id, a.item_key, a.topics) for a in d.alerts] == [(9, item_key(FEED.id, "b"), ())]


def test_excluded_word_suppresses_the_alert_for_that_chat_only() -> None:
    subs = subscribers((1, NUCLEAR), (2, NUCLEAR))
    subs.add(2, "طهران", kind="exclude")

    d = run([make_item()], subs)

    assert [a.chat_id for a in d.alerts] == [1]


def test_feed_marked_all_makes_every_item_breaking() -> None:
    subs = subscribers((1, NUCLEAR))
    feed = FeedConfig(id=FEED.id, name=FEED.name, url=FEED.url, breaking="all")

    d = decide(feed, [make_item(title=PLAIN_TITLE)], set(), subs, POLICY, NOW)

    assert d.records[0].reason == "feed_all"
    assert [a.chat_id for a in d.alerts] == [1]


def test_decide_does_not_mutate_known() -> None:
    known: set[str] = set()
    run([make_item()], subscribers((1, NUCLEAR)), known=known)
    assert known == set()


# --- story_keys ---------------------------------------------------------------


def test_first_story_key_is_the_items_own_key() -> None:
    item = make_item(uid="abc")
    assert story_keys(item)[0] == own_key(item_key(FEED.id, "abc"))


def test_link_key_ignores_www_trailing_slash_scheme_and_host_case() -> None:
    variants = [
        "https://www.example.com/news/1/",
        "https://example.com/news/1",
        "http://WWW.Example.com/news/1",
        " https://example.com/news/1/ ",
    ]
    link_keys = {tuple(prefixed(story_keys(make_item(link=u)), "link:")) for u in variants}
    assert len(link_keys) == 1
    (only,) = link_keys
    assert len(only) == 1


def test_link_key_distinguishes_path_and_query() -> None:
    def link_key(url: str) -> str:
        (k,) = prefixed(story_keys(make_item(link=url)), "link:")
        return k

    base = link_key("https://example.com/news/1")
    assert link_key("https://example.com/news/2") != base
    assert link_key("https://example.com/news/1?id=2") != link_key("https://example.com/news/1?id=3")
    assert link_key("https://other.example/news/1") != base


def test_no_link_gives_no_link_key() -> None:
    assert prefixed(story_keys(make_item(link=None)), "link:") == []


def test_headline_shorter_than_four_words_gives_no_title_key() -> None:
    # Four words with the marker, three without it: the marker does not count.
    short = make_item(title="عاجل: انفجار في بيروت")
    long = make_item(title="عاجل: انفجار كبير في بيروت")

    assert prefixed(story_keys(short), "title:") == []
    assert len(prefixed(story_keys(long), "title:")) == 1


def test_marker_does_not_change_the_title_key() -> None:
    headline = "اتصالات سرية بين طهران وواشنطن"
    titles = [headline, f"عاجل: {headline}", f"عاجل | {headline}", f"{headline} | عاجل", f"🔴 عاجل {headline}"]
    title_keys = {tuple(prefixed(story_keys(make_item(uid=f"u{i}", feed_id=f"f{i}", title=t)), "title:")) for i, t in enumerate(titles)}
    assert len(title_keys) == 1
    assert len(next(iter(title_keys))) == 1


def test_different_headlines_give_different_title_keys() -> None:
    a = prefixed(story_keys(make_item(title="اتصالات سرية بين طهران وواشنطن")), "title:")
    b = prefixed(story_keys(make_item(title="اتصالات علنية بين طهران وواشنطن")), "title:")
    assert a and b and a != b


def test_title_key_ignores_diacritics_and_spacing() -> None:
    a = prefixed(story_keys(make_item(title="اتصالات سرية بين طهران وواشنطن")), "title:")
    b = prefixed(story_keys(make_item(title="اتصالاتٌ  سرّية بين طهـران وواشنطن ")), "title:")
    assert a == b and a


def test_each_story_starts_its_audience_at_other_chats() -> None:
    """The first recipients of a story go ahead of the queue; if every story started at the same
    chats, those would wait for Telegram's one message per second per chat while others idle."""
    from bot.core.vocab import Priority

    subs = subscribers(*((chat, NUCLEAR) for chat in range(1, 301)))
    first = run([make_item("a1")], subs)
    second = run([make_item("b2", title="عاجل: جولة جديدة من المفاوضات حول الملف النووي في مسقط")], subs)
    heads = [{a.chat_id for a in d.alerts if a.priority in (Priority.FIRST, Priority.BREAKING)} for d in (first, second)]
    assert len(heads[0]) == len(heads[1]) == Priority.HEAD_SIZE
    assert len(heads[0] & heads[1]) < Priority.HEAD_SIZE // 2
    for d in (first, second):  # still everyone, once
        assert sorted(a.chat_id for a in d.alerts) == list(range(1, 301))
    again = run([make_item("a1")], subs)  # the same item starts at the same chat: nothing depends on the run
    assert [a.chat_id for a in again.alerts] == [a.chat_id for a in first.alerts]



def test_a_storys_first_recipient_goes_ahead_of_other_stories_heads() -> None:
    """One poll finds several stories: each story's first message must not wait for the others' heads of 30."""
    from bot.core.vocab import Priority

    subs = subscribers(*((chat, NUCLEAR) for chat in range(1, 101)))
    d = run([make_item(f"s{i}", title=f"عاجل: تطور رقم {i} في الملف النووي") for i in range(5)], subs)
    by_item: dict[str, list[int]] = {}
    for a in d.alerts:
        by_item.setdefault(a.item_key, []).append(a.priority)
    assert len(by_item) == 5
    for priorities in by_item.values():
        assert priorities.count(Priority.FIRST) == 1 and priorities.count(Priority.BREAKING) == Priority.HEAD_SIZE - 1
    # In the worker's order (priority, then queued order), every story's first row comes before any head row.
    ordered = sorted(range(len(d.alerts)), key=lambda i: (d.alerts[i].priority, i))
    first_five = {d.alerts[i].item_key for i in ordered[:5]}
    assert len(first_five) == 5
