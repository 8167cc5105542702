"""The bot's command surface, declared once.

Each command is one small coroutine over `ChatService` that returns a plain
`Reply`; the registry below generates the Telegram handlers, the command
menu (setMyCommands) and the /help text, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.texts import COMMANDS, t
from bot.telegram.chat_service import ChatService, Reply


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a command needs to know about the message that called it."""

    chat_id: int
    chat_type: str
    lang: str
    arg: str  # everything after the command word, newlines kept
    thread_id: int | None
    is_operator: bool


Run = Callable[[ChatService, Ctx], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    run: Run
    changes: bool = False  # changes the subscription: group admins only
    subscribed: bool = True  # needs an active subscription
    usage: str | None = None  # text key shown when the argument is missing
    listed: bool = True  # in the menu and in /help


async def _start(s: ChatService, c: Ctx) -> Reply:
    return await s.start(c.chat_id, c.chat_type, c.lang, c.thread_id)


async def _help(s: ChatService, c: Ctx) -> Reply:
    return Reply(help_text(c.lang))


async def _add(s: ChatService, c: Ctx) -> Reply:
    return await s.add(c.chat_id, c.arg, c.lang)


async def _exclude(s: ChatService, c: Ctx) -> Reply:
    return await s.add(c.chat_id, c.arg, c.lang, kind="exclude")


async def _remove(s: ChatService, c: Ctx) -> Reply:
    return await s.remove(c.chat_id, c.arg, c.lang)


async def _topics(s: ChatService, c: Ctx) -> Reply:
    return await s.topics_view(c.chat_id, c.lang)


async def _clear(s: ChatService, c: Ctx) -> Reply:
    return await s.clear(c.chat_id, c.lang)


async def _all(s: ChatService, c: Ctx) -> Reply:
    return await s.toggle_all(c.chat_id, c.lang)


async def _pause(s: ChatService, c: Ctx) -> Reply:
    return await s.pause(c.chat_id, c.lang, True)


async def _resume(s: ChatService, c: Ctx) -> Reply:
    return await s.pause(c.chat_id, c.lang, False)


async def _stop(s: ChatService, c: Ctx) -> Reply:
    return await s.stop(c.chat_id, c.lang)


async def _sources(s: ChatService, c: Ctx) -> Reply:
    return s.sources(c.lang)


async def _test(s: ChatService, c: Ctx) -> Reply:
    return await s.test(c.chat_id, c.arg, c.lang)


async def _settings(s: ChatService, c: Ctx) -> Reply:
    return await s.settings_command(c.chat_id, c.arg, c.lang)


async def _stats(s: ChatService, c: Ctx) -> Reply:
    return await s.stats(c.lang) if c.is_operator else Reply(t("admin_only", c.lang))


REGISTRY: tuple[Command, ...] = (
    Command("start", _start, changes=True, subscribed=False),
    Command("add", _add, changes=True, usage="usage_add"),
    Command("remove", _remove, changes=True, usage="usage_remove"),
    Command("topics", _topics),
    Command("exclude", _exclude, changes=True, usage="usage_exclude"),
    Command("clear", _clear, changes=True),
    Command("all", _all, changes=True),
    Command("pause", _pause, changes=True),
    Command("resume", _resume, changes=True),
    Command("settings", _settings, changes=True),
    Command("sources", _sources, subscribed=False),
    Command("test", _test, usage="usage_test"),
    Command("help", _help, subscribed=False),
    Command("stop", _stop, changes=True),
    Command("stats", _stats, subscribed=False, listed=False),
)
BY_NAME = {c.name: c for c in REGISTRY}
LANGS = ("ar", "en")


def menu(lang: str) -> list[tuple[str, str]]:
    """(command, description) pairs for setMyCommands."""
    return [(c.name, COMMANDS[c.name][lang][0]) for c in REGISTRY if c.listed]


def help_text(lang: str) -> str:
    lines = [COMMANDS[c.name][lang][1] for c in REGISTRY if c.listed and COMMANDS[c.name][lang][1]]
    return "\n".join([t("help.header", lang), *lines, t("help.tip", lang)])


async def dispatch(service: ChatService, command: Command, ctx: Ctx) -> Reply:
    """Run `command` after the checks every command shares (group rights are checked by the caller)."""
    if command.subscribed and not await service.is_subscribed(ctx.chat_id):
        return Reply(t("not_subscribed", ctx.lang))
    if command.usage and not ctx.arg.strip():
        return Reply(t(command.usage, ctx.lang))
    return await command.run(service, ctx)
