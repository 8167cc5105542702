"""Channel preview pages (t.me/s/<name>) for tests, shaped like the real markup.

The structure follows the live preview as public parsers of it read it (see
tests/data/channels/README.md); `tests/data/channels/ajel_demo_page.html` is
one such page written by hand, and `render_page` builds others of the same
shape for paging tests.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

HEAD = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>{title} – Telegram</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0, maximum-scale=1.0, user-scalable=no" />
    <meta property="og:title" content="{title}">
    <meta property="og:site_name" content="Telegram">
    <link rel="canonical" href="https://t.me/s/{channel}"/>
    {prev}
    <link href="//telegram.org/css/widget-frame.css?72" rel="stylesheet">
  </head>
  <body class="widget_frame_base tgme_webpreview emoji_image no_transitions">
    <header class="tgme_header search_collapsed">
      <div class="tgme_header_info">
        <a class="tgme_header_link" href="https://t.me/{channel}">
          <div class="tgme_header_title"><span dir="auto">{title}</span></div>
        </a>
      </div>
    </header>
    <main class="tgme_main">
      <div class="tgme_container">
        <section class="tgme_channel_history js-message_history">
{more}
"""

MORE = """          <div class="tme_messages_more_wrap"><a href="/s/{channel}?before={before}" class="tme_messages_more js-messages_more" data-before="{before}"></a></div>"""

FOOT = """
        </section>
      </div>
    </main>
  </body>
</html>
"""

POST = """          <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{channel}/{id}" data-view="eyJjIjotMTAwMTIzNDU2Nzg5LCJwIjoxfQ">
  <div class="tgme_widget_message_user"><a href="https://t.me/{channel}"><i class="tgme_widget_message_user_photo bgcolor3" data-content="ع"><img src="https://cdn4.telesco.pe/file/avatar.jpg"></i></a></div>
  <div class="tgme_widget_message_bubble">
    <i class="tgme_widget_message_bubble_tail"><svg class="bubble_icon" width="9px" height="20px" viewBox="0 0 9 20"><g fill="none"><path class="background" fill="#ffffff" d="M8,1 L9,1 L9,20 L8,20 Z"></path></g></svg></i>
    <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{channel}"><span dir="auto">{title}</span></a></div>
{forwarded}{reply}{media}{text}    <div class="tgme_widget_message_footer compact js-message_footer">
      <div class="tgme_widget_message_info short js-message_info">
        <span class="tgme_widget_message_views">12.4K</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" href="https://t.me/{channel}/{id}"><time datetime="{time}" class="time">{hhmm}</time></a></span>
      </div>
    </div>
  </div>
</div></div>"""

TEXT = """    <div class="tgme_widget_message_text js-message_text" dir="auto">{html}</div>
"""
PHOTO = """    <a class="tgme_widget_message_photo_wrap 5432109876 blured js-message_photo" style="width:800px;background-image:url('https://cdn4.telesco.pe/file/photo.jpg')" data-ratio="1.5" href="https://t.me/{channel}/{id}"><div class="tgme_widget_message_photo" style="padding-top:66.6667%"></div></a>
"""
VIDEO = """    <a class="tgme_widget_message_video_player js-message_video_player" href="https://t.me/{channel}/{id}"><i class="tgme_widget_message_video_thumb" style="background-image:url('https://cdn4.telesco.pe/file/thumb.jpg')"></i><div class="tgme_widget_message_video_wrap"><video src="https://cdn4.telesco.pe/file/video.mp4" class="tgme_widget_message_video js-message_video" width="100%" height="100%"></video></div><div class="message_video_play js-message_video_play"></div><time class="message_video_duration js-message_video_duration">0:42</time></a>
"""
FORWARDED = """    <div class="tgme_widget_message_forwarded_from accent_color">Forwarded from <a class="tgme_widget_message_forwarded_from_name" href="https://t.me/{source}/{source_id}"><span dir="auto">{source_title}</span></a></div>
"""
REPLY = """    <a class="tgme_widget_message_reply" href="https://t.me/{channel}/{reply_to}"><div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">{title}</span></div><div class="tgme_widget_message_text js-message_text" dir="auto">{quoted}</div></a>
"""


@dataclass(frozen=True)
class P:
    """One post to render. `text` is plain text; lines become <br/>."""

    id: int
    text: str | None
    time: str = "2026-11-24T09:12:00+00:00"
    photo: bool = False
    video: bool = False
    edited: bool = False
    forwarded: tuple[str, int, str] | None = None  # (channel, post id, title)
    reply_to: int | None = None
    quoted: str = ""


def text_html(text: str) -> str:
    return "<br/>".join(html.escape(line) for line in text.split("\n"))


def render_post(channel: str, title: str, p: P) -> str:
    fwd = FORWARDED.format(source=p.forwarded[0], source_id=p.forwarded[1], source_title=html.escape(p.forwarded[2])) if p.forwarded else ""
    rep = REPLY.format(channel=channel, reply_to=p.reply_to, title=html.escape(title), quoted=html.escape(p.quoted)) if p.reply_to else ""
    media = (PHOTO if p.photo else "") + (VIDEO if p.video else "")
    return POST.format(
        channel=channel, id=p.id, title=html.escape(title), forwarded=fwd, reply=rep,
        media=media.format(channel=channel, id=p.id),
        text=TEXT.format(html=text_html(p.text)) if p.text is not None else "",
        edited="edited &nbsp;" if p.edited else "", time=p.time, hhmm=p.time[11:16],
    )


def render_page(channel: str, posts: list[P], *, before: int | None = None, title: str = "قناة عاجل التجريبية") -> bytes:
    """A preview page: the posts oldest first; `before` makes the "more" link (None: the channel's start)."""
    prev = f'<link rel="prev" href="/s/{channel}?before={before}">' if before else ""
    more = MORE.format(channel=channel, before=before) if before else ""
    body = "\n".join(render_post(channel, title, p) for p in sorted(posts, key=lambda p: p.id))
    return (HEAD.format(title=html.escape(title), channel=channel, prev=prev, more=more) + body + FOOT).encode()


# What t.me answers for a name that is not a public channel: /s/<name> redirects to
# the name's page, which has no message history.
NO_CHANNEL_PAGE = b"""<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>Telegram: Contact @nosuchchannel</title>
    <meta property="og:title" content="Telegram: Contact @nosuchchannel">
    <meta property="og:description" content="">
    <link rel="canonical" href="https://t.me/nosuchchannel"/>
  </head>
  <body class="no_transition">
    <div class="tgme_page_wrap">
      <div class="tgme_page">
        <div class="tgme_page_icon"><svg class="tgme_logo" height="34" viewBox="0 0 133 34" width="133"></svg></div>
        <div class="tgme_page_title"><span dir="auto">Telegram</span></div>
        <div class="tgme_page_description">If you have <strong>Telegram</strong>, you can contact <a class="tgme_username_link" href="tg://resolve?domain=nosuchchannel">@nosuchchannel</a> right away.</div>
        <div class="tgme_page_action"><a class="tgme_action_button_new shine" href="tg://resolve?domain=nosuchchannel">Send Message</a></div>
      </div>
    </div>
  </body>
</html>
"""
