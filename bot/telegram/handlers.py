"""Telegram handlers: thin translations from updates to `ChatService` calls."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from html import escape

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.telegram_limits import split_message, visible_text
from bot.core.texts import COMMANDS, PRESET_TOPICS, lang_of, t
from bot.telegram.chat_service import ChatService, Reply

MAX_OFFERS = 20  # pending "follow this topic?" offers kept per chat
log = logging.getLogger("bot.telegram.handlers")
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
_CHANGES = {"add", "remove", "clear", "exclude", "all", "pause", "resume", "stop"}


def install(app: Application, service: ChatService, admins: frozenset[int]) -> None:
    """Register every handler on `app`."""
    h = _Handlers(service, admins)
    for name in ("start", "help", "add", "remove", "topics", "exclude", "clear", "all", "pause", "resume", "stop", "sources", "test", "stats"):
        app.add_handler(CommandHandler(name, h.command(name)))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, h.migrated))
    app.add_handler(MessageHandler(filters.COMMAND, h.unknown))
    app.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, h.offer))
    app.add_handler(CallbackQueryHandler(h.button))
    app.add_error_handler(h.error)


async def register_commands(app: Application) -> None:
    for lang, commands in COMMANDS.items():
        cmds = [BotCommand(name, desc) for name, desc in commands]
        await app.bot.set_my_commands(cmds, language_code=None if lang == "ar" else lang)


class _Handlers:
    def __init__(self, service: ChatService, admins: frozenset[int]) -> None:
        self.s, self.admins = service, admins

    def command(self, name: str) -> Handler:
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            msg, chat = update.effective_message, update.effective_chat
            if msg is None or chat is None:
                return
            lang = _lang(update)
            arg = _argument(msg.text or "")
            if name in _CHANGES and not await self._may_change(update, context):
                await _reply(update, Reply(t("admins_only", lang)))
                return
            if name not in ("start", "help", "sources", "stats") and not self.s.is_subscribed(chat.id):
                await _reply(update, Reply(t("not_subscribed", lang)))
                return
            await _reply(update, self._dispatch(name, update, arg, lang))

        return handle

    def _dispatch(self, name: str, update: Update, arg: str, lang: str) -> Reply:
        chat = update.effective_chat
        msg = update.effective_message
        assert chat is not None and msg is not None
        cid = chat.id
        if name == "start":
            thread = msg.message_thread_id if msg.is_topic_message else None
            return self.s.start(cid, chat.type, lang, thread)
        self.s.set_lang(cid, lang)
        simple: dict[str, Callable[[], Reply]] = {
            "help": lambda: Reply(t("help", lang)),
            "topics": lambda: self.s.topics_view(cid, lang),
            "clear": lambda: self.s.clear(cid, lang),
            "all": lambda: self.s.toggle_all(cid, lang),
            "pause": lambda: self.s.pause(cid, lang, True),
            "resume": lambda: self.s.pause(cid, lang, False),
            "stop": lambda: self.s.stop(cid, lang),
            "sources": lambda: self.s.sources(lang),
            "stats": lambda: self.s.stats(lang) if _user_id(update) in self.admins else Reply(t("admin_only", lang)),
        }
        if name in simple:
            return simple[name]()
        usage = {"add": "usage_add", "remove": "usage_remove", "exclude": "usage_exclude", "test": "usage_test"}
        if not arg.strip():
            return Reply(t(usage[name], lang))
        if name == "add":
            return self.s.add(cid, arg, lang)
        if name == "exclude":
            return self.s.add(cid, arg, lang, kind="exclude")
        if name == "remove":
            return self.s.remove(cid, arg, lang)
        return self.s.test(cid, arg, lang)

    async def offer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A plain message in a private chat: offer it as a topic, with a confirm button."""
        msg, chat = update.effective_message, update.effective_chat
        if msg is None or chat is None or not msg.text:
            return
        lang = _lang(update)
        if not self.s.is_subscribed(chat.id):
            await _reply(update, Reply(t("not_subscribed", lang)))
            return
        token = secrets.token_hex(4)
        offers = context.chat_data.setdefault("offers", {}) if context.chat_data is not None else {}
        offers[token] = msg.text.strip()
        while len(offers) > MAX_OFFERS:  # unanswered offers expire, oldest first
            offers.pop(next(iter(offers)))
        buttons = ((t("btn_follow", lang), f"ok:{token}"), (t("btn_cancel", lang), f"no:{token}"))
        await _reply(update, Reply(t("offer_topic", lang, topic=escape(msg.text.strip()[:200])), buttons))

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        lang = _lang(update)
        if not await self._may_change(update, context):
            await query.answer(t("admins_only", lang), show_alert=True)
            return
        kind, _, value = (query.data or "").partition(":")
        reply = self._press(chat.id, kind, value, lang, context)
        await query.answer(visible_text(reply.html)[:190] if reply else t("button_expired", lang))
        if reply and query.message is not None:
            for part in split_message(reply.html):
                await context.bot.send_message(chat.id, part, parse_mode=ParseMode.HTML, message_thread_id=_thread(update))

    def _press(self, chat_id: int, kind: str, value: str, lang: str, context: ContextTypes.DEFAULT_TYPE) -> Reply | None:
        if kind == "p" and value.isdigit() and int(value) < len(PRESET_TOPICS):
            return self.s.add(chat_id, PRESET_TOPICS[int(value)], lang)
        if kind == "rm" and value.isdigit():
            return self.s.remove_id(chat_id, int(value), lang)
        offers = (context.chat_data or {}).get("offers", {})
        if kind in ("ok", "no") and value in offers:
            text = offers.pop(value)
            return self.s.add(chat_id, text, lang) if kind == "ok" else Reply(t("cancelled", lang))
        return None

    async def migrated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        if msg and msg.migrate_to_chat_id:
            self.s.migrate(msg.chat_id, msg.migrate_to_chat_id)

    async def unknown(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await _reply(update, Reply(t("unknown_command", _lang(update))))

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("event=handler_error error=%r", context.error, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat:
            try:
                await _reply(update, Reply(t("error", _lang(update))))
            except Exception:  # the chat may be unreachable; we logged what matters
                pass

    async def _may_change(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """In groups only chat admins change the subscription."""
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type == ChatType.PRIVATE:
            return True
        if user is None:
            return False
        member = await context.bot.get_chat_member(chat.id, user.id)
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def _reply(update: Update, reply: Reply) -> None:
    msg = update.effective_message
    if msg is None or not reply.html:
        return
    markup = InlineKeyboardMarkup([[InlineKeyboardButton(label[:64], callback_data=data)] for label, data in reply.buttons]) if reply.buttons else None
    parts = split_message(reply.html)
    for i, part in enumerate(parts):  # the buttons go under the last part
        await msg.reply_text(part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None, do_quote=False)


def _argument(text: str) -> str:
    """Everything after the command word (which may carry @botname), newlines kept."""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def _lang(update: Update) -> str:
    user = update.effective_user
    return lang_of(user.language_code if user else None)


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def _thread(update: Update) -> int | None:
    msg = update.effective_message
    return msg.message_thread_id if msg is not None and msg.is_topic_message else None

