"""Config loading: env overrides, and one clear line (exit 2) for every operator mistake."""

from pathlib import Path

import pytest

from bot.app.cli import main
from bot.app.config import DEFAULT_CONFIG_DIR, ConfigError, load_settings

GOOD_FEEDS = '[[feed]]\nid = "a"\nname = "A"\nurl = "seeds/demo_news.xml"\ninterval = 60\n'


def write_config(tmp: Path, settings: str = "", feeds: str = GOOD_FEEDS) -> Path:
    (tmp / "settings.toml").write_text(settings, encoding="utf-8")
    (tmp / "feeds.toml").write_text(feeds, encoding="utf-8")
    return tmp


def test_shipped_config_loads() -> None:
    s = load_settings(DEFAULT_CONFIG_DIR, env={})
    assert s.feeds and all(f.breaking in ("marked", "all") for f in s.feeds)
    assert s.telegram_base_url == "https://api.telegram.org/bot"
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/ajel.db")
    assert len(s.aliases) >= 50


def test_environment_overrides(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "sqlite:////tmp/x.db", "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot"}
    s = load_settings(write_config(tmp_path), env=env)
    assert (s.database_url, s.telegram_base_url) == ("sqlite:////tmp/x.db", "http://127.0.0.1:9/bot")


def test_feed_defaults_to_marked(tmp_path: Path) -> None:
    (feed,) = load_settings(write_config(tmp_path), env={}).feeds
    assert feed.breaking == "marked" and feed.interval == 60.0


BAD = [
    ("invalid-toml", "a = 1\nx = [1,\n", GOOD_FEEDS, "settings.toml: line 2: invalid TOML", ""),
    ("bad-mode", "", GOOD_FEEDS.replace("interval = 60", 'breaking = "some"'), "feeds.toml: feed #1: 'breaking'", ""),
    ("missing-url", "", '[[feed]]\nid = "a"\nname = "A"\n', "feeds.toml: feed #1: missing or empty 'url'", ""),
    ("duplicate-id", "", GOOD_FEEDS + GOOD_FEEDS, "feed id 'a' appears twice", ""),
    ("bad-interval", "", GOOD_FEEDS.replace("60", "-5"), "interval must be a positive number", ""),
    ("bad-timezone", '[alerts]\ntimezone = "Mars/Olympus"\n', GOOD_FEEDS, "unknown time zone", ""),
    ("bad-admins", '[telegram]\nadmins = ["me"]\n', GOOD_FEEDS, "telegram.admins", ""),
]


@pytest.mark.parametrize("settings,feeds,message,extra", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_config_mistakes_are_one_line(tmp_path: Path, settings: str, feeds: str, message: str, extra: str) -> None:
    write_config(tmp_path, settings, feeds)
    with pytest.raises(ConfigError) as exc:
        load_settings(tmp_path, env={})
    assert message in str(exc.value) and extra in str(exc.value)


def test_cli_reports_missing_file_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "settings.toml").write_text("", encoding="utf-8")
    assert main(["--config", str(tmp_path), "demo"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "feeds.toml: file not found" in err and "Traceback" not in err


def test_cli_reports_invalid_toml_with_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(tmp_path, "[storage]\ndatabase_url = \n")
    assert main(["--config", str(tmp_path), "check", "seeds/demo_news.xml"]) == 2
    err = capsys.readouterr().err
    assert "settings.toml" in err and "line 2" in err and err.count("\n") == 1
