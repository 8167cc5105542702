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


def load(path: Path = DATA) -> list[Pair]:
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            a = similarity.signature(row["a_headline"], row.get("a_lead") or "")
            b = similarity.signature(row["b_headline"], row.get("b_lead") or "")
            text = f"{row['a_headline']}  ||  {row['b_headline']}"
            out.append(Pair(row["id"], row["label"] == "same", row.get("kind", ""), a, b, text))
    return out


def is_dev(pair: Pair) -> bool:
    return hashlib.sha256(pair.id.encode()).digest()[0] % 2 == 0


def measure(pairs: list[Pair]) -> tuple[float, float, int, int, int]:
    tp = sum(1 for p in pairs if p.same and similarity.same_story(p.a, p.b))
    fp = sum(1 for p in pairs if not p.same and similarity.same_story(p.a, p.b))
    fn = sum(1 for p in pairs if p.same and not similarity.same_story(p.a, p.b))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def report(name: str, pairs: list[Pair]) -> None:
    p, r, tp, fp, fn = measure(pairs)
    same = sum(1 for x in pairs if x.same)
    print(f"{name:9} pairs={len(pairs):4} same={same:4}  precision={p:.3f}  recall={r:.3f}  (tp={tp} fp={fp} fn={fn})")


def sweep(dev: list[Pair]) -> None:
    for shared in (2, 3, 4):
        for tenths in range(30, 62, 3):
            similarity.MIN_SHARED_STEMS, similarity.MIN_SCORE = shared, tenths / 100
            p, r, *_ = measure(dev)
            print(f"shared>={shared} score>={tenths / 100:.2f}  P={p:.3f} R={r:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="explore thresholds on the development half")
    ap.add_argument("--errors", action="store_true", help="list the development half's errors")
    args = ap.parse_args()
    pairs = load()
    dev = [p for p in pairs if is_dev(p)]
    held = [p for p in pairs if not is_dev(p)]
    if args.sweep:
        sweep(dev)
        return 0
    print(f"thresholds: shared >= {similarity.MIN_SHARED_STEMS}, score >= {similarity.MIN_SCORE}")
    report("dev", dev)
    report("held-out", held)
    report("all", pairs)
    if args.errors:
        for p in dev:
            got = similarity.same_story(p.a, p.b)
            if got != p.same:
                kind = "FALSE MERGE" if got else "missed"
                print(f"{kind:11} {p.id} {p.kind} score={similarity.score(p.a, p.b):.2f} {p.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
