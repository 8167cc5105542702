"""`bot/core/` stays pure: it may import only itself and side-effect-free standard-library modules.

The core is pure functions over frozen dataclasses; I/O (network, database,
files, clocks, logging, threads, the event loop) belongs at the edges
(`bot.feeds`, `bot.storage`, `bot.delivery`, `bot.telegram`, `bot.app`).
`time` and `logging` are deliberately not allowed: the core is handed `now`
by its caller and reports through return values, never by logging.
"""

from __future__ import annotations

import ast
from importlib.util import resolve_name
from pathlib import Path

import pytest

import bot.core

CORE_DIR = Path(bot.core.__file__).resolve().parent
CORE_PACKAGE = "bot.core"

# Exact modules, or packages whose every submodule is allowed ("collections" allows "collections.abc").
ALLOWED: frozenset[str] = frozenset(
    {
        CORE_PACKAGE,
        "__future__",
        "abc",
        "bisect",
        "collections",
        "dataclasses",
        "datetime",
        "enum",
        "functools",
        "hashlib",
        "heapq",
        "html",  # html.escape / html.unescape / html.parser: string processing only
        "itertools",
        "json",
        "math",
        "operator",
        "re",
        "statistics",
        "string",
        "typing",
        "unicodedata",
        "urllib.parse",  # but not urllib.request
        "zoneinfo",
    }
)

# Not exhaustive (anything not in ALLOWED is refused); named here to document intent and to test the checker.
FORBIDDEN_EXAMPLES = (
    "asyncio",
    "sqlalchemy",
    "httpx",
    "telegram",
    "feedparser",
    "apscheduler",
    "os",
    "socket",
    "threading",
    "subprocess",
    "logging",
    "time",
    "urllib.request",
    "bot.storage",
    "bot.feeds.fetch",
)

# Core modules known to break the rule today: module name → why. Keep empty.
KNOWN_VIOLATIONS: dict[str, str] = {}


def is_allowed(module: str) -> bool:
    return any(module == ok or module.startswith(ok + ".") for ok in ALLOWED)


def imported_modules(source: str, package: str = CORE_PACKAGE) -> list[tuple[int, str]]:
    """Every module `source` imports, as (line, absolute dotted name), including imports inside functions.

    `package` is the package the source lives in, for resolving relative imports.
    """
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = resolve_name("." * node.level + (node.module or ""), package) if node.level else node.module or ""
            # `from pkg import name` may import the submodule `pkg.name`: judge that when `pkg` itself is
            # not allowed (`from bot import storage`); `from html import escape` is judged as `html`.
            if is_allowed(target):
                found.append((node.lineno, target))
            else:
                found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            found.append((node.lineno, "__import__()"))  # a dynamic import is never allowed
    return found


def violations(source: str, package: str = CORE_PACKAGE) -> list[str]:
    return [f"line {line}: {name}" for line, name in imported_modules(source, package) if not is_allowed(name)]


def core_modules() -> list[tuple[str, Path]]:
    """(dotted module name, path) of every module under bot/core/, subpackages included."""
    out = []
    for path in sorted(CORE_DIR.rglob("*.py")):
        rel = path.relative_to(CORE_DIR).with_suffix("")
        out.append((".".join((CORE_PACKAGE, *rel.parts)), path))
    return out


def package_of(module_name: str, path: Path) -> str:
    return module_name.removesuffix(".__init__") if path.name == "__init__.py" else module_name.rpartition(".")[0]


CORE_MODULES = core_modules()


def test_core_modules_are_found() -> None:
    names = {name for name, _ in CORE_MODULES}
    assert {"bot.core.decide", "bot.core.stories", "bot.core.textclean", "bot.core.models"} <= names


@pytest.mark.parametrize(("module_name", "path"), CORE_MODULES, ids=[name for name, _ in CORE_MODULES])
def test_core_module_imports_only_pure_modules(module_name: str, path: Path) -> None:
    bad = violations(path.read_text(encoding="utf-8"), package_of(module_name, path))
    if bad and module_name in KNOWN_VIOLATIONS:
        pytest.xfail(f"{module_name}: {KNOWN_VIOLATIONS[module_name]} ({', '.join(bad)})")
    assert bad == [], f"{module_name} imports non-pure modules: {bad}"


# --- the checker itself catches violations --------------------------------------------------------


@pytest.mark.parametrize("module", FORBIDDEN_EXAMPLES)
def test_checker_rejects_forbidden_import(module: str) -> None:
    assert violations(f"import {module}\n") == [f"line 1: {module}"]
    assert violations(f"from {module} import something\n") != []


def test_checker_catches_import_sqlalchemy_anywhere() -> None:
    source = "from __future__ import annotations\n\ndef f() -> None:\n    import sqlalchemy\n    return None\n"
    assert violations(source) == ["line 4: sqlalchemy"]


def test_checker_catches_package_escapes_and_dynamic_imports() -> None:
    assert violations("from bot import storage\n") == ["line 1: bot.storage"]
    assert violations("from .. import telegram\n") == ["line 1: bot.telegram"]
    assert violations("import urllib\n") == ["line 1: urllib"]
    assert violations("m = __import__('os')\n") == ["line 1: __import__()"]


def test_checker_accepts_pure_imports() -> None:
    source = (
        "from __future__ import annotations\n"
        "import re, hashlib\n"
        "from collections.abc import Mapping\n"
        "from html import escape\n"
        "from html.parser import HTMLParser\n"
        "from urllib.parse import urlsplit\n"
        "from bot.core.models import Item\n"
        "from bot.core import breaking\n"
        "from . import normalize\n"
        "from .models import Item as I\n"
    )
    assert violations(source) == []
    assert violations("from .. import telegram\n", "bot.core.sub") == []  # resolves to bot.core.telegram
