"""Command line: `python -m bot {demo,check,run}`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from bot.app.config import ConfigError, Settings, load_settings
from bot.app.secrets import install_log_redaction, redact
from bot.app.supervisor import FatalError


def build_parser() -> argparse.ArgumentParser:
    # The common options are accepted before or after the subcommand
    # (`--config DIR run` and `run --config DIR`); after it they land in
    # their own names and `parse_args` merges them.
    p = argparse.ArgumentParser(prog="python -m bot", description="Arabic breaking-news («عاجل») alerts on Telegram.")
    _common(p, "")
    common = argparse.ArgumentParser(add_help=False)
    _common(common, "sub_")
    sub = p.add_subparsers(dest="command", required=True, metavar="{demo,check,run}")

    demo = sub.add_parser("demo", parents=[common], help="run the pipeline offline on the seed feeds and print the alerts")
    demo.add_argument("--topic", action="append", default=[], metavar="T", help="a topic to follow (repeatable; default «الملف النووي»)")
    demo.add_argument("--follow", action="store_true", help="keep polling until Ctrl-C")

    check = sub.add_parser("check", parents=[common], help="show what the pipeline makes of one feed or public channel")
    check.add_argument("source", help="feed URL or file; a channel as tg:NAME, https://t.me/s/NAME, or a saved channel page")
    check.add_argument("--topic", action="append", default=[], metavar="T", help="a topic (repeatable)")
    check.add_argument("--topics-file", type=Path, metavar="FILE", help="file with one topic per line")
    check.add_argument("--all", action="store_true", help="treat the feed as breaking-only (breaking = \"all\")")
    check.add_argument("--json", action="store_true", help="one JSON object per item, one per line")

    run = sub.add_parser("run", parents=[common], help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook ([telegram.webhook] in settings.toml)")
    return p


def _common(p: argparse.ArgumentParser, prefix: str) -> None:
    p.add_argument("--config", dest=prefix + "config", metavar="DIR", help="directory holding settings.toml and feeds.toml (default: config/)")
    p.add_argument("-v", "--verbose", dest=prefix + "verbose", action="store_true", help="log every poll")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    args.config = getattr(args, "sub_config", None) or args.config
    args.verbose = getattr(args, "sub_verbose", False) or args.verbose
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose or args.command == "run" else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )
    install_log_redaction()
    for noisy in ("httpx", "apscheduler", "telegram.ext.Updater"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        settings = load_settings(args.config)
        return asyncio.run(_dispatch(args, settings))
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except FatalError as exc:
        print(f"ajel: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `… | head` closed our output: not an error worth a traceback
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - an operator gets one line, never a traceback with secrets
        print(f"ajel: unexpected error: {redact(f'{type(exc).__name__}: {exc}')[:500]}", file=sys.stderr)
        if args.verbose:
            print(redact(traceback.format_exc()), file=sys.stderr)
        return 1


async def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "demo":
        from bot.app.demo import run_demo

        return await run_demo(settings, args.topic, follow=args.follow)
    if args.command == "check":
        return await _check(args, settings)
    from bot.app.run import run_service

    return await run_service(settings, webhook=args.webhook)


async def _check(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app.check import TopicSet, as_json, check_items, load_items, print_table, recent_stories

    topics = list(args.topic)
    if args.topics_file:
        try:
            topics += [ln.strip() for ln in args.topics_file.read_text(encoding="utf-8").splitlines() if ln.strip()]
        except (OSError, UnicodeDecodeError) as exc:
            print(f"cannot read topics file {args.topics_file}: {exc}", file=sys.stderr)
            return 2
    items, error = await load_items(args.source, settings.channels_base_url)
    if error:
        print(error, file=sys.stderr)
        return 1
    recent = await asyncio.to_thread(recent_stories, settings.database_url)
    checked = check_items(items, "all" if args.all else "marked", TopicSet(topics, settings.aliases), recent)
    if args.json:
        for c in checked:
            print(as_json(c))
    else:
        print_table(checked)
    return 0
