"""Precision and recall of "same story" on real, hand-labelled headline pairs.

    ./dev eval-stories [--sweep] [--errors]

The pairs (tests/data/stories/pairs.tsv) were collected and labelled by a
helper who never read the code. A fixed half of them (by id) is the
development set the thresholds were chosen on; the other half is held out
and only reported. `--sweep` explores thresholds on the development half only.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.core import similarity

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "stories" / "pairs.tsv"


@dataclass(frozen=True)
class Pair:
    id: str
    same: bool
    kind: str
    a: similarity.Signature
    b: similarity.Signature
    text: str
    apart: bool  # the dates say the two were published 2 days or more apart


def days_apart(a: str, b: str) -> bool:
    """Known to be published at least two days apart (full dates), or in different months.

    The product only compares a breaking item with stories of the last few
    hours (`stories.window_hours`); a pair that far apart is never compared.
    Adjacent days are treated as comparable (an evening event and the next
    morning's copy)."""
    if len(a) == len(b) == 10:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) >= 2
    if len(a) >= 7 and len(b) >= 7:  # a month known on one side at least
        return abs(_month(a) - _month(b)) >= 2
    return False


def _month(d: str) -> int:
    return int(d[:4]) * 12 + int(d[5:7])


def load(path: Path = DATA) -> list[Pair]:
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            a = similarity.signature(row["a_headline"], row.get("a_lead") or "")
            b = similarity.signature(row["b_headline"], row.get("b_lead") or "")
            text = f"{row['a_headline']}  ||  {row['b_headline']}"
            apart = days_apart(row.get("a_date") or "", row.get("b_date") or "")
            out.append(Pair(row["id"], row["label"] == "same", row.get("kind", ""), a, b, text, apart))
    return out


def is_dev(pair: Pair) -> bool:
    return hashlib.sha256(pair.id.encode()).digest()[0] % 2 == 0


def merged(p: Pair, window: bool) -> bool:
    return not (window and p.apart) and similarity.same_story(p.a, p.b)


def measure(pairs: list[Pair], window: bool = True) -> tuple[float, float, int, int, int]:
    tp = sum(1 for p in pairs if p.same and merged(p, window))
    fp = sum(1 for p in pairs if not p.same and merged(p, window))
    fn = sum(1 for p in pairs if p.same and not merged(p, window))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def report(name: str, pairs: list[Pair], window: bool = True) -> None:
    p, r, tp, fp, fn = measure(pairs, window)
    same = sum(1 for x in pairs if x.same)
    print(f"{name:9} pairs={len(pairs):4} same={same:4}  precision={p:.3f}  recall={r:.3f}  (tp={tp} fp={fp} fn={fn})")


def sweep(dev: list[Pair]) -> None:
    for shared in (8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0):
        for cover in (0.5, 0.55, 0.6, 0.65, 0.7):
            for overlap in (0.4, 0.45, 0.5, 0.55, 0.6):
                similarity.MIN_SHARED_WEIGHT, similarity.MIN_COVER, similarity.MIN_OVERLAP = shared, cover, overlap
                p, r, *_ = measure(dev)
                pt, rt, *_ = measure(dev, window=False)
                print(f"shared>={shared:4.1f} cover>={cover:.2f} overlap>={overlap:.2f}"
                      f"  window: P={p:.3f} R={r:.3f}   text alone: P={pt:.3f} R={rt:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="explore thresholds on the development half")
    ap.add_argument("--dev", action="store_true", help="report the development half only (while tuning)")
    ap.add_argument("--errors", action="store_true", help="list the development half's errors")
    args = ap.parse_args()
    pairs = load()
    dev = [p for p in pairs if is_dev(p)]
    held = [p for p in pairs if not is_dev(p)]
    if args.sweep:
        sweep(dev)
        return 0
    print(f"thresholds: shared weight >= {similarity.MIN_SHARED_WEIGHT}, headline cover >= {similarity.MIN_COVER}"
          f" or overlap >= {similarity.MIN_OVERLAP}")
    apart = sum(1 for p in pairs if p.apart)
    print(f"as the bot compares them (pairs published 2+ days apart never meet in the window: {apart} of {len(pairs)}):")
    report("dev", dev)
    if not args.dev:
        report("held-out", held)
        report("all", pairs)
    print("text alone (as if every pair arrived within the window):")
    report("dev", dev, window=False)
    if not args.dev:
        report("held-out", held, window=False)
        report("all", pairs, window=False)
    if args.errors:
        for p in dev:
            got = merged(p, True)
            if got != p.same:
                kind = "FALSE MERGE" if got else "missed"
                print(f"{kind:11} {p.id} {p.kind} score={similarity.score(p.a, p.b):.2f} {p.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
