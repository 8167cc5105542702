"""The CLI as an operator uses it: demo and check."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.helpers import ROOT, SEED_FEED

HEADLINE = "اتصالات سرية بين طهران وواشنطن ومحادثات مرتقبة في قطر أو عمان"
KEYS = ["id", "title", "link", "published", "breaking", "breaking_reason", "topics", "not_matched", "story", "merged", "merged_with"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_json_marks_seed_breaking_with_topic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(SEED_FEED), "--topic", "الملف النووي", "--json"], capsys)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 7 and all(list(r) == KEYS for r in rows)
    seed = rows[0]
    assert seed["title"] == HEADLINE and seed["breaking"] is True and seed["breaking_reason"] == "body_first_line"
    assert seed["topics"] == ["الملف النووي"]
    analysis = rows[3]  # mentions the nuclear file, not breaking
    assert analysis["breaking"] is False and analysis["topics"] == ["الملف النووي"]


def test_check_topics_file_keeps_given_spelling_and_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "topics.txt"
    f.write_text("إيران\n\nالملفّ النووي\nغزة\n", encoding="utf-8")
    _, out, _ = run(["check", str(SEED_FEED), "--topics-file", str(f), "--json"], capsys)
    assert json.loads(out.splitlines()[0])["topics"] == ["إيران", "الملفّ النووي"]


def test_check_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", str(SEED_FEED), "--topic", "الملف النووي"], capsys)
    assert code == 0 and "عاجل ✓ (body_first_line)" in out and "7 items, 4 breaking" in out


def test_check_missing_source_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "/nonexistent/feed.xml"], capsys)
    assert code == 1 and err.count("\n") == 1 and "Traceback" not in err


def test_demo_prints_the_two_nuclear_file_alerts_and_nothing_else(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["demo"], capsys)
    assert code == 0
    # The seed story, and the IAEA item, which the «الملف النووي» concept reaches
    # through «الوكالة الدولية للطاقة الذرية».
    assert out.count("🔴 عاجل") == 2
    assert HEADLINE in out and "#الملف_النووي" in out and "كشفت تقارير صحفية" in out
    assert "مفتشونا يعودون" in out
    assert "الأرصاد" not in out and "محللون" not in out
    assert "summary: 9 items seen, 6 breaking, 2 alerts" in out


def test_demo_summary_says_one_alert_in_the_singular(capsys: pytest.CaptureFixture[str]) -> None:
    out = run(["demo", "--topic", "الأرصاد"], capsys)[1]
    assert "6 breaking, 1 alert (" in out


def test_demo_is_repeatable(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(["demo", "--topic", "الأرصاد"], capsys)[1]
    second = run(["demo", "--topic", "الأرصاد"], capsys)[1]
    assert first == second and "عاصفة ترابية" in first


def test_module_entry_point_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "demo" in proc.stdout


def test_run_without_token_is_one_clear_line(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    code, _, err = run(["run"], capsys)
    assert code == 2 and err.count("\n") == 1 and "TELEGRAM_BOT_TOKEN" in err and "Traceback" not in err
