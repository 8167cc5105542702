"""Site chrome learned per feed and boilerplate removed by shape (issue 9)."""

from __future__ import annotations

import feedparser  # type: ignore[import-untyped]

from bot.app.config import DEFAULT_CONFIG_DIR, load_lexicon
from bot.core import breaking, chrome
from bot.core.formatting import format_alert
from bot.core.matching import TopicIndex
from bot.core.textclean import html_to_text
from bot.core.topics import parse_topic
from bot.feeds.items import items_from_feed

HEADLINES = [
    "الرئيس اللبناني يدعو إلى حوار وطني شامل",
    "ارتفاع أسعار النفط مع تراجع المخزونات الأمريكية",
    "وزير الخارجية الأردني يزور دمشق الأسبوع المقبل",
    "الأمم المتحدة تحذر من مجاعة في السودان",
    "زلزال بقوة 5 درجات يضرب جنوب تركيا",
    "البنك الدولي يخفض توقعات النمو في المنطقة",
]


def rss(titles: list[str], footer: str = "", body: str = "نص الخبر بالتفصيل كما نشره الموقع على صفحته الرئيسية اليوم") -> bytes:
    items = "".join(
        f"<item><title>{t}</title><guid>g{i}</guid><description><![CDATA[<p>{body} {i}</p>{footer}]]></description></item>"
        for i, t in enumerate(titles)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()


def items(data: bytes) -> list:  # type: ignore[type-arg]
    return list(items_from_feed("f", feedparser.parse(data)))


def test_an_outlet_suffix_on_every_title_is_removed_from_the_headline() -> None:
    got = items(rss([f"{h} | الحرة" for h in HEADLINES]))
    assert [i.title for i in got] == HEADLINES
    assert "الحرة" not in format_alert(got[0], "الحرة", ()).html.split("\n\n")[1]


def test_an_outlet_prefix_on_every_title_is_removed() -> None:
    got = items(rss([f"اليوم السابع - {h}" for h in HEADLINES]))
    assert [i.title for i in got] == HEADLINES


def test_a_suffix_on_few_titles_is_the_story_not_chrome() -> None:
    titles = [*HEADLINES[:4], f"{HEADLINES[4]} - فيديو", f"{HEADLINES[5]} - فيديو"]
    assert [i.title for i in items(rss(titles))] == titles


def test_a_breaking_label_on_every_title_of_a_breaking_feed_stays_for_detection() -> None:
    got = items(rss([f"{h} | عاجل" for h in HEADLINES]))
    assert all(breaking.detect(i) for i in got)
    assert all(i.headline == h for i, h in zip(got, HEADLINES, strict=True))  # the display headline drops it


def test_a_footer_repeated_in_every_body_is_removed_and_never_matched() -> None:
    got = items(rss(HEADLINES, footer="<p>هسبريس جريدة إلكترونية مغربية</p>"))
    assert all("مغربية" not in i.body for i in got)
    topic = parse_topic("المغرب", load_lexicon(DEFAULT_CONFIG_DIR))
    assert topic is not None
    assert not any(TopicIndex([topic]).match_item(i) for i in got)


def test_too_few_items_teach_nothing() -> None:
    assert not chrome.learn([f"{h} | الحرة" for h in HEADLINES[:3]], [])


def test_boilerplate_families_are_removed_by_shape() -> None:
    html = (
        "<p>نص الخبر الأول كما نشره الموقع مع تفاصيل كافية للقارئ […]</p>"
        "<p>The post وزير يعلن خطة جديدة appeared first on موقع الأخبار.</p>"
        "<p>اقرأ أيضاً: الحكومة تعلن موعد الانتخابات</p>"
        "<p>الصورة: رويترز</p><p>صورة أرشيفية</p><p>شارك عبر واتساب</p><p>تابعونا على تويتر</p>"
    )
    assert html_to_text(html) == "نص الخبر الأول كما نشره الموقع مع تفاصيل كافية للقارئ"


OUTLET_TAILS = [
    ("ارتفاع حصيلة ضحايا الزلزال إلى 800 قتيل - المصري اليوم", "ارتفاع حصيلة ضحايا الزلزال إلى 800 قتيل"),
    ("ترامب يعلن رسوما جمركية جديدة | جريدة إلكترونية مغربية", "ترامب يعلن رسوما جمركية جديدة"),
    ("الأمم المتحدة تحذر من مجاعة وشيكة - لبنان 24", "الأمم المتحدة تحذر من مجاعة وشيكة"),
    ("الفيدرالي يبقي أسعار الفائدة دون تغيير - RT روسيا اليوم", "الفيدرالي يبقي أسعار الفائدة دون تغيير"),
    ("الفيفا يعلن موعد قرعة كأس العالم.. تابعونا على تليغرام", "الفيفا يعلن موعد قرعة كأس العالم"),
    ("البنك الدولي يخفض توقعات النمو - فلسطين أون لاين", "البنك الدولي يخفض توقعات النمو"),
]
KEPT = [
    "زلزال بقوة 5 درجات يضرب جنوب تركيا - فيديو",  # what the item is, not who published it
    "ارتفاع عدد الإصابات - 24 ساعة صعبة",
    "عاجل - المصري اليوم",  # nothing of a headline would be left
    "القدس - حماس تعلن موقفها من المقترح",
]


def test_a_single_title_loses_a_tail_shaped_like_an_outlets_name() -> None:
    for title, headline in OUTLET_TAILS:
        assert chrome.strip_outlet_tail(title) == headline
    for title in KEPT:
        assert chrome.strip_outlet_tail(title) == title


def test_an_outlet_named_after_a_country_does_not_match_the_country_from_one_item() -> None:
    # One item: nothing to learn per feed, the tail's shape is enough.
    got = items(rss(["ارتفاع حصيلة ضحايا زلزال أفغانستان إلى 800 قتيل - المصري اليوم"]))
    assert got[0].headline == "ارتفاع حصيلة ضحايا زلزال أفغانستان إلى 800 قتيل"
    topic = parse_topic("مصر", load_lexicon(DEFAULT_CONFIG_DIR))
    assert topic is not None
    assert not TopicIndex([topic]).match_item(got[0])


def test_alerts_from_a_served_feed_carry_neither_the_outlet_tail_nor_the_wordpress_footer(feed_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the real poller: a feed (served over HTTP) whose every title ends « | الحرة» and whose
    every body ends with WordPress's «The post … appeared first on …»; the queued alert shows neither."""
    import asyncio

    from bot.core.decide import Policy
    from bot.core.models import FeedConfig
    from bot.core.subscriptions import ChatInfo, Subscriptions
    from bot.feeds.fetch import make_client
    from bot.feeds.poller import Poller
    from bot.storage import Store
    from bot.storage.boundary import Database

    titles = [f"عاجل: {h} | الحرة" for h in HEADLINES]
    footer = '<p>The post <a href="https://www.alhurra.com/x">خبر</a> appeared first on <a href="https://www.alhurra.com">الحرة</a>.</p>'
    feed_server.route("/hurra.xml", rss(titles, footer=footer))
    store = Store(f"sqlite:///{tmp_path / 'bot.db'}")
    subs = Subscriptions()
    subs.set_chat(1, ChatInfo("ar"))
    subs.add(1, "السودان")

    async def poll() -> None:
        async with make_client() as client:
            poller = Poller(Database(store), client, subs, Policy("Asia/Riyadh", 400, max_age_hours=None))
            await poller.poll(FeedConfig("hurra", "الحرة", feed_server.url("/hurra.xml"), 60), force=True)

    asyncio.run(poll())
    (alert,) = store.pending(10)
    headline = alert.html.split("\n\n")[1]
    assert "الأمم المتحدة تحذر من مجاعة في السودان" in headline and "الحرة" not in headline
    assert "appeared first on" not in alert.html and "The post" not in alert.html
