"""Write bot/core/story_weights.py: how many breaking headlines of the background
corpus (tests/data/breaking/corpus.tsv) contain each similarity key.

    .venv/bin/python benchmarks/build_story_weights.py

Run again when the stemming or the key rules in bot/core/similarity.py change.
The corpus is real breaking news from many outlets and years, none of it from
the story pairs (tests/data/stories), so the weights are not tuned on them.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from bot.core.normalize import normalize
from bot.core.similarity import keys

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "breaking" / "corpus.tsv"
OUT = ROOT / "bot" / "core" / "story_weights.py"


def main() -> int:
    df: Counter[str] = Counter()
    docs = 0
    with CORPUS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            docs += 1
            df.update(keys(normalize(f"{row['title']} {row['body_first_line']}")))
    kept = sorted((k, n) for k, n in df.items() if n >= 2)  # a key seen once weighs as an unseen one
    lines = [
        '"""Document frequencies of similarity keys in a background corpus of breaking news. Generated.',
        "",
        "Built by benchmarks/build_story_weights.py from tests/data/breaking/corpus.tsv;",
        "keys seen fewer than twice are left out (they weigh as rare as unseen ones).",
        '"""',
        "",
        f"DOCS = {docs}",
        "DF: dict[str, int] = {",
        *(f"    {k!r}: {n}," for k, n in kept),
        "}",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {docs} documents, {len(kept)} keys")
    return 0


if __name__ == "__main__":
    sys.exit(main())
