"""Issue 13's rough edges: CLI options after the subcommand, config-relative paths, /stats in Arabic."""

from __future__ import annotations

from pathlib import Path

from bot.app.cli import parse_args
from bot.app.config import DEFAULT_CONFIG_DIR, load_settings
from bot.telegram.chat_service import fetch_error
from tests.helpers import ROOT


def test_common_options_before_or_after_the_subcommand() -> None:
    for argv in (["--config", "X", "-v", "run"], ["run", "--config", "X", "-v"], ["-v", "run", "--config", "X"]):
        args = parse_args(argv)
        assert (args.command, args.config, args.verbose) == ("run", "X", True), argv
    args = parse_args(["check", "feed.xml", "--config", "Y"])
    assert (args.source, args.config, args.verbose) == ("feed.xml", "Y", False)
    assert parse_args(["demo"]).config is None


def test_relative_paths_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    cdir = tmp_path / "conf"
    cdir.mkdir()
    (cdir / "settings.toml").write_text('[storage]\ndatabase_url = "sqlite:///data/x.db"\n', encoding="utf-8")
    (cdir / "feeds.toml").write_text('[[feed]]\nid = "a"\nname = "A"\nurl = "feeds/a.xml"\n', encoding="utf-8")
    s = load_settings(cdir, env={})
    assert s.database_url == f"sqlite:///{cdir / 'data' / 'x.db'}"
    assert s.feeds[0].url == str(cdir / "feeds" / "a.xml")
    shipped = load_settings(DEFAULT_CONFIG_DIR, env={})
    assert shipped.database_url == f"sqlite:///{ROOT / 'data' / 'ajel.db'}"  # the shipped config keeps the project's data/


def test_stats_feed_errors_in_the_readers_language() -> None:
    assert fetch_error("HTTP 404", "ar") == "خطأ HTTP 404"
    assert fetch_error("HTTP 404", "en") == "HTTP 404"
    assert fetch_error("timeout", "ar") == "timeout"
