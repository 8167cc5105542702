"""Public Telegram channels as a source: the web preview `https://t.me/s/<name>` → frozen `Item`s.

The preview is an HTML page showing the channel's latest posts (about 20),
oldest first. Its structure, as public parsers of it read it (see
tests/data/channels/README.md):

* each post is ``div.tgme_widget_message`` with ``data-post="<channel>/<id>"``;
* its text (or a media post's caption) is ``div.tgme_widget_message_text``,
  lines separated by ``<br>``, with ``<a>``, ``<b>``, ``<i>`` and emoji
  (``<i class="emoji"><b>🔴</b></i>``);
* its time is ``a.tgme_widget_message_date time[datetime]``;
* a reply carries ``a.tgme_widget_message_reply`` (the quoted post, whose own
  text must not be read as this post's), a forward
  ``.tgme_widget_message_forwarded_from``; an edited post says "edited" in
  ``.tgme_widget_message_meta``;
* older posts are at ``?before=<id>``: ``a.tme_messages_more[data-before]`` and
  ``<link rel="prev" href="/s/name?before=ID">``;
* a name that is not a public channel redirects to ``t.me/<name>``, a page
  without ``section.tgme_channel_history``.

Parsing is CPU work: it runs off the event loop (``asyncio.to_thread``).
`ChannelReader` fetches a page, and older pages when needed, with the
feeds' fetcher (timeouts, size cap, redirect policy, conditional requests).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.core.markers import BODY_DATELINE, is_label_with_dateline, is_marker_line
from bot.core.models import Item
from bot.core.normalize import normalize
from bot.core.textclean import MAX_BODY_CHARS, MAX_BODY_MARKUP, MAX_TITLE_CHARS, cap_text, clean_lines, cut_markup, html_to_lines
from bot.feeds.fetch import FetchResult, Validators, fetch
from bot.feeds.items import EARLIEST_DATE, FUTURE_SLACK, Now, _as_datetime, without_chrome

DEFAULT_BASE_URL = "https://t.me"
# Telegram usernames: 5-32 of letters, digits and underscores, starting with a letter
# (a few old ones have 4); matched on the name, never on HTML.
CHANNEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
# A page shows ~20 posts; a hostile page with a million message blocks is cut here.
MAX_POSTS_PER_PAGE = 200
# Paging back (?before=ID) to reach the last post we know stops after this many pages in all.
MAX_PAGES = 5
UID_PREFIX = "tg:"


class ChannelPageError(Exception):
    """The page is not a readable channel preview; str() is the source's error line.

    `telegram`: the page is one of t.me's own (a contact or info page), so the
    name given is not a public channel, rather than the page being something else.
    """

    def __init__(self, message: str, *, telegram: bool = False) -> None:
        super().__init__(message)
        self.telegram = telegram


@dataclass(frozen=True, slots=True)
class Post:
    """One post as the preview shows it (text already plain lines)."""

    channel: str  # as the page spells it (data-post)
    id: int
    lines: tuple[str, ...]  # the text, or a media post's caption; () when it has none
    published: datetime | None = None
    edited: bool = False
    forwarded_from: str | None = None
    reply_to: int | None = None  # the id of the post it answers, when the preview links it
    media: tuple[str, ...] = ()  # "photo", "video", "document", … (kinds only)

    @property
    def link(self) -> str:
        return f"https://t.me/{self.channel}/{self.id}"

    @property
    def revision(self) -> str:
        """A digest of the text: the same post id with another digest is an edit."""
        return hashlib.sha256("\n".join(self.lines).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ChannelPage:
    channel: str | None  # from the posts or the page's canonical link; None when neither says
    posts: tuple[Post, ...]  # in id order, each id once
    before: int | None  # the id to ask older posts with (?before=), None at the channel's start
    is_channel: bool  # the page has a channel's message history (even an empty one)

    @property
    def oldest(self) -> int | None:
        return self.posts[0].id if self.posts else None

    @property
    def newest(self) -> int | None:
        return self.posts[-1].id if self.posts else None


# --------------------------------------------------------------------------
# Source names
# --------------------------------------------------------------------------


def channel_name(source: str) -> str | None:
    """The channel named by `tg:name`, `@name`, `t.me/s/name`, `https://t.me/name` or a post
    link (`https://t.me/s/name/123`); None when `source` names no channel."""
    s = source.strip()
    for prefix in ("tg:", "@"):
        if s.startswith(prefix):
            return s[len(prefix):] if CHANNEL_NAME.match(s[len(prefix):]) else None
    if s.startswith(("t.me/", "telegram.me/")):
        s = "https://" + s
    parts = urlsplit(s)
    if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in ("t.me", "telegram.me", "www.t.me"):
        return None
    segments = [p for p in parts.path.split("/") if p]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    return segments[0] if segments and CHANNEL_NAME.match(segments[0]) else None


def page_url(base: str, before: int | None = None) -> str:
    """The preview page `base` (`https://t.me/s/name`), or its older posts before `before`."""
    base = base.split("?", 1)[0].rstrip("/")
    return base if before is None else f"{base}?before={before}"


def channel_page_url(channel: str, base_url: str = DEFAULT_BASE_URL) -> str:
    return f"{base_url.rstrip('/')}/s/{channel}"


# --------------------------------------------------------------------------
# Parsing (CPU work: run off the event loop)
# --------------------------------------------------------------------------


def parse_page(body: bytes | str) -> ChannelPage:
    """The posts of one preview page. Raises ChannelPageError for a page that is not one."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    tree = LexborHTMLParser(text)
    history = tree.css_first("section.tgme_channel_history, .tgme_channel_history")
    blocks = tree.css("div.tgme_widget_message[data-post]")
    if history is None and not blocks:
        telegram = tree.css_first(".tgme_page, .tgme_page_wrap") is not None or _canonical_channel(tree) is not None
        raise ChannelPageError(
            "not a public channel page (no message history): the channel does not exist or has no public preview",
            telegram=telegram,
        )
    posts: dict[int, Post] = {}
    for block in blocks[:MAX_POSTS_PER_PAGE]:
        post = _post(block)
        if post is not None:
            posts[post.id] = post
    ordered = tuple(posts[i] for i in sorted(posts))
    channel = ordered[-1].channel if ordered else _canonical_channel(tree)
    return ChannelPage(channel, ordered, _before(tree, ordered), is_channel=True)


def looks_like_channel_page(body: bytes) -> bool:
    """True when `body` is a channel preview (for `check` on a local file)."""
    try:
        return bool(parse_page(body).is_channel)
    except ChannelPageError:
        return False


def _post(block: LexborNode) -> Post | None:
    channel, _, number = (block.attributes.get("data-post") or "").strip().rpartition("/")
    if not number.isascii() or not number.isdigit() or not CHANNEL_NAME.match(channel) or len(number) > 18:
        return None
    reply_to = None
    for reply in block.css("a.tgme_widget_message_reply"):
        # The quoted post sits inside the reply link, with a text div of its own: read its id, then drop it.
        reply_to = reply_to or _post_id(reply.attributes.get("href"))
        reply.decompose()
    forwarded = block.css_first(".tgme_widget_message_forwarded_from_name, .tgme_widget_message_forwarded_from")
    text_node = block.css_first("div.tgme_widget_message_text")
    lines = tuple(html_to_lines(cut_markup(text_node.html or "", MAX_BODY_MARKUP))) if text_node is not None else ()
    meta = block.css_first(".tgme_widget_message_meta")
    return Post(
        channel=channel,
        id=int(number),
        lines=lines,
        published=_time(block),
        edited=meta is not None and "edited" in (meta.text() or "").casefold(),
        forwarded_from=" ".join((forwarded.text() or "").split()).removeprefix("Forwarded from ").strip() or None if forwarded else None,
        reply_to=reply_to,
        media=_media(block),
    )


_MEDIA = (
    ("photo", "a.tgme_widget_message_photo_wrap"),
    ("video", ".tgme_widget_message_video_player"),
    ("document", ".tgme_widget_message_document"),
    ("voice", ".tgme_widget_message_voice"),
    ("poll", ".tgme_widget_message_poll"),
    ("sticker", ".tgme_widget_message_sticker"),
)


def _media(block: LexborNode) -> tuple[str, ...]:
    return tuple(kind for kind, selector in _MEDIA if block.css_first(selector) is not None)


def _time(block: LexborNode) -> datetime | None:
    node = block.css_first("a.tgme_widget_message_date time[datetime]") or block.css_first("time[datetime]")
    value = (node.attributes.get("datetime") or "") if node is not None else ""
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _post_id(href: str | None) -> int | None:
    last = urlsplit(href or "").path.rstrip("/").rpartition("/")[2]
    return int(last) if last.isascii() and last.isdigit() and len(last) <= 18 else None


def _before(tree: LexborHTMLParser, posts: tuple[Post, ...]) -> int | None:
    """The id older posts are asked with: the "more" link, else <link rel="prev">; None at the start."""
    more = tree.css_first("a.tme_messages_more[data-before]")
    value = (more.attributes.get("data-before") or "") if more is not None else ""
    if not value:
        prev = tree.css_first('link[rel="prev"]')
        href = (prev.attributes.get("href") or "") if prev is not None else ""
        value = (parse_qs(urlsplit(href).query).get("before") or [""])[0]
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        return None
    before = int(value)
    # A link that does not point below what the page shows would page forever.
    return before if before > 0 and (not posts or before <= posts[0].id) else None


def _canonical_channel(tree: LexborHTMLParser) -> str | None:
    link = tree.css_first('link[rel="canonical"]')
    return channel_name(link.attributes.get("href") or "") if link is not None else None


# --------------------------------------------------------------------------
# Posts → Items
# --------------------------------------------------------------------------


def post_uid(post_id: int) -> str:
    return f"{UID_PREFIX}{post_id}"


def post_id_of(uid: str) -> int | None:
    """The post id in an item uid made by `post_uid`, else None."""
    rest = uid.removeprefix(UID_PREFIX)
    return int(rest) if rest != uid and rest.isascii() and rest.isdigit() else None


def items_from_posts(feed_id: str, posts: tuple[Post, ...] | list[Post], now: Now = None) -> tuple[Item, ...]:
    """One `Item` per post with text, in id order; posts without any text are skipped.

    The headline is the first line (its «عاجل» label removed by `Item`), the body the
    rest. A first line that is only the label («🔴 عاجل»), or the label and a place
    («عاجل | الكويت:»), labels the second one; a dateline with the label («بيروت - عاجل») stays at the top of the body, where the
    breaking rules and the headline derivation read it.
    """
    when = _as_datetime(now)
    items: list[Item] = []
    for post in sorted(posts, key=lambda p: p.id):
        lines = [line for line in post.lines if line.strip()]
        if not lines:
            continue
        if is_marker_line(lines[0]) and len(lines) > 1:
            title, rest = f"{lines[0]} | {lines[1]}", lines[2:]  # «🔴 عاجل» on a line of its own labels the next
        elif is_label_with_dateline(lines[0]) and len(lines) > 1:
            title, rest = f"{lines[0]} {lines[1]}", lines[2:]  # «عاجل | الكويت:» then the news: one headline
        elif BODY_DATELINE.match(normalize(lines[0]).strip()):
            title, rest = "", lines
        else:
            title, rest = lines[0], lines[1:]
        published = post.published if post.published and EARLIEST_DATE <= post.published <= when + FUTURE_SLACK else None
        items.append(
            Item(
                feed_id=feed_id,
                uid=post_uid(post.id),
                title=cap_text(title, MAX_TITLE_CHARS),
                body=cap_text("\n".join(clean_lines(rest, title) if title else rest), MAX_BODY_CHARS),
                link=post.link,
                published=published,
                revision=post.revision,
            )
        )
    return without_chrome(items)


# --------------------------------------------------------------------------
# Reading a channel: the latest page, and older ones back to the last post known
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelRead:
    first: FetchResult  # the latest page's fetch (its validators, errors, 304)
    posts: tuple[Post, ...] = ()  # every post read, in id order, each id once
    error: str | None = None  # the latest page is not a channel page
    gap: str | None = None  # one log line when paging back could not reach the last post known
    pages: int = 1


class ChannelReader:
    """Reads one channel per call; many calls may run at once (one client, no shared state)."""

    def __init__(self, client: httpx.AsyncClient, max_pages: int = MAX_PAGES) -> None:
        self.client, self.max_pages = client, max_pages

    async def read(self, url: str, validators: Validators | None = None, last_known: int | None = None) -> ChannelRead:
        """The posts of the page at `url`; when `last_known` (the newest post id recorded) is
        older than what it shows, older pages too (``?before=ID``), at most `max_pages` in all.
        Without `last_known` (a channel never read) only the latest page: no history backfill."""
        first = await fetch(self.client, page_url(url), validators or Validators(), origin=url)
        if first.error or first.not_modified or first.body is None:
            return ChannelRead(first)
        try:
            page = await asyncio.to_thread(parse_page, first.body)
        except ChannelPageError as exc:
            return ChannelRead(first, error=str(exc))
        posts = {p.id: p for p in page.posts}
        pages, before, gap = 1, page.before, None
        oldest = page.oldest
        remote = url.startswith(("http://", "https://"))  # a local copy has no older pages
        while remote and last_known is not None and oldest is not None and oldest > last_known + 1 and before is not None:
            # Posts last_known+1 … oldest-1 are not read yet (or were deleted: then the older page says so).
            if pages >= self.max_pages:
                gap = f"pages={pages} reason=page_limit"
                break
            result = await fetch(self.client, page_url(url, before), origin=url)
            pages += 1
            if result.error or result.body is None:
                gap = f"pages={pages} reason={(result.error or f'HTTP {result.status}')!r}"
                break
            try:
                older = await asyncio.to_thread(parse_page, result.body)
            except ChannelPageError as exc:
                gap = f"pages={pages} reason={str(exc)!r}"
                break
            fresh = [p for p in older.posts if p.id < before]
            if not fresh:
                break  # nothing older: the posts in between were deleted
            posts.update((p.id, p) for p in fresh)
            oldest = min(oldest, fresh[0].id)
            # Each page must move back, or a broken "more" link would be followed forever.
            before = older.before if older.before is not None and older.before < before else None
        if gap is not None:
            gap = f"last_known={last_known} oldest_read={oldest} missing={last_known}..{oldest} {gap}"
        return ChannelRead(first, tuple(posts[i] for i in sorted(posts)), gap=gap, pages=pages)
