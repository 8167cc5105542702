"""Telegram handlers: thin translations from updates to the command registry.

Every handler awaits storage through `ChatService` (off the event loop);
replies go out through the application's bot, whose rate limiter waits out
a 429 instead of failing the handler.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from html import escape
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.telegram_limits import split_message, visible_text
from bot.core.texts import PRESET_TOPICS, lang_of, t
from bot.telegram import buttons
from bot.telegram.chat_service import ChatService, Reply
from bot.telegram.commands import BY_NAME, LANGS, REGISTRY, Command, Ctx, dispatch, menu

MAX_OFFERS = 20  # pending "follow this topic?" offers kept per chat
log = logging.getLogger("bot.handlers")
App = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE


def install(app: App, service: ChatService, admins: frozenset[int]) -> None:
    """Register every handler on `app`."""
    h = _Handlers(service, admins)
    for command in REGISTRY:
        app.add_handler(CommandHandler(command.name, h.command(command)))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, h.migrated))
    app.add_handler(MessageHandler(filters.COMMAND, h.unknown))
    app.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, h.offer))
    app.add_handler(CallbackQueryHandler(h.button))
    app.add_error_handler(h.error)


async def register_commands(app: App) -> bool:
    """The command menu in each language. Optional: a failure is logged, never fatal."""
    try:
        for lang in LANGS:
            cmds = [BotCommand(name, desc) for name, desc in menu(lang)]
            await app.bot.set_my_commands(cmds, language_code=None if lang == "ar" else lang)
    except TelegramError as exc:
        log.warning("event=set_commands_failed error=%r (the bot runs without a command menu)", exc.message)
        return False
    return True


class _Handlers:
    def __init__(self, service: ChatService, admins: frozenset[int]) -> None:
        self.s, self.admins = service, admins

    def command(self, command: Command) -> Any:
        async def handle(update: Update, context: Context) -> None:
            msg, chat = update.effective_message, update.effective_chat
            if msg is None or chat is None:
                return
            lang = await self.s.reply_lang(chat.id, _lang(update))  # a language chosen in /settings wins
            if command.changes and not await self._may_change(update, context):
                await _reply(update, Reply(t("admins_only", lang)))
                return
            if chat.type == ChatType.PRIVATE and command.name != "start":
                await self.s.set_lang(chat.id, lang)  # a private chat follows its user's language (unless chosen)
            ctx = Ctx(chat.id, chat.type, lang, _argument(msg.text or ""), _thread(update), _user_id(update) in self.admins)
            await _reply(update, await dispatch(self.s, command, ctx))

        return handle

    async def offer(self, update: Update, context: Context) -> None:
        """A plain message in a private chat: offer it as a topic, with a confirm button."""
        msg, chat = update.effective_message, update.effective_chat
        if msg is None or chat is None or not msg.text:
            return
        lang = _lang(update)
        if not await self.s.is_subscribed(chat.id):
            await _reply(update, Reply(t("not_subscribed", lang)))
            return
        token = secrets.token_hex(4)
        offers = context.chat_data.setdefault("offers", {}) if context.chat_data is not None else {}
        offers[token] = msg.text.strip()
        while len(offers) > MAX_OFFERS:  # unanswered offers expire, oldest first
            offers.pop(next(iter(offers)))
        keys = ((t("btn_follow", lang), buttons.data("follow", token)), (t("btn_cancel", lang), buttons.data("cancel", token)))
        await _reply(update, Reply(t("offer_topic", lang, topic=escape(msg.text.strip()[:200])), keys))

    async def button(self, update: Update, context: Context) -> None:
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        lang = await self.s.reply_lang(chat.id, _lang(update))
        if not await self._may_change(update, context):
            await query.answer(t("admins_only", lang), show_alert=True)
            return
        press = buttons.parse(query.data)
        reply = await self._press(chat.id, press, lang, context) if press else None
        if reply and reply.edit:
            await query.answer(reply.toast)
            await self._edit(update, context, reply)
            return
        await query.answer(visible_text(reply.html)[:190] if reply else t("button_expired", lang))
        if reply and query.message is not None:
            for part in split_message(reply.html):
                await context.bot.send_message(chat.id, part, parse_mode=ParseMode.HTML, message_thread_id=_thread(update))

    async def _edit(self, update: Update, context: Context, reply: Reply) -> None:
        """Redraw the pressed message (the /settings screen) in place; a message that can no longer be edited gets a new one."""
        query, chat = update.callback_query, update.effective_chat
        if query is None or chat is None:
            return
        try:
            await query.edit_message_text(reply.html, parse_mode=ParseMode.HTML, reply_markup=_markup(reply))
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return  # pressed what was already chosen
            log.info("event=settings_edit_failed error=%r (sent anew)", exc.message)
            await context.bot.send_message(chat.id, reply.html, parse_mode=ParseMode.HTML, reply_markup=_markup(reply), message_thread_id=_thread(update))

    async def _press(self, chat_id: int, press: buttons.Press, lang: str, context: Context) -> Reply | None:
        if press.kind == "setting":
            return await self.s.press_setting(chat_id, *press.setting, lang)
        if press.kind == "preset":
            return await self.s.add(chat_id, PRESET_TOPICS[press.number], lang) if press.number < len(PRESET_TOPICS) else None
        if press.kind == "remove":
            return await self.s.remove_id(chat_id, press.number, lang)
        offers = (context.chat_data or {}).get("offers", {})
        if press.value not in offers:
            return None
        text = offers.pop(press.value)
        return await self.s.add(chat_id, text, lang) if press.kind == "follow" else Reply(t("cancelled", lang))

    async def migrated(self, update: Update, context: Context) -> None:
        msg = update.effective_message
        if msg and msg.migrate_to_chat_id:
            await self.s.migrate(msg.chat_id, msg.migrate_to_chat_id)

    async def unknown(self, update: Update, context: Context) -> None:
        await _reply(update, Reply(t("unknown_command", _lang(update))))

    async def error(self, update: object, context: Context) -> None:
        exc = context.error
        if isinstance(exc, RetryAfter | Forbidden | NetworkError):
            # Telegram's answer, not our bug: one line, no traceback, no reply attempt.
            log.warning("event=reply_failed error=%r", exc)
            return
        log.error("event=handler_error error=%r", exc, exc_info=exc)
        if isinstance(update, Update) and update.effective_chat:
            with contextlib.suppress(TelegramError):  # the chat may be unreachable; we logged what matters
                await _reply(update, Reply(t("error", _lang(update))))

    async def _may_change(self, update: Update, context: Context) -> bool:
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
    markup = _markup(reply)
    parts = split_message(reply.html)
    for i, part in enumerate(parts):  # the buttons go under the last part
        await msg.reply_text(part, parse_mode=ParseMode.HTML, reply_markup=markup if i == len(parts) - 1 else None, do_quote=False)


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    rows = reply.keyboard()
    return InlineKeyboardMarkup([[InlineKeyboardButton(label[:64], callback_data=data) for label, data in row] for row in rows]) if rows else None


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


__all__ = ["BY_NAME", "install", "register_commands"]
