"""Precision and recall of topic matching on a labelled TSV, with every miss.

    ./dev eval                                   # the latest blind held-out set (match_heldout5.tsv)
    ./dev eval tests/data/match_eval.tsv         # the development set (also a test)
    ./dev eval tests/data/match_heldout.tsv      # the first held-out set, development data since the sense lexicon

Each held-out set (match_heldout2 … match_heldout5.tsv) was written by someone
who had read neither the matcher, its lexicons nor the development sets; a set
stays the independent estimate until its misses are read and the lexicons
extended from them (then it is development data, and a new blind set is needed). It is a report, not a test, so that
fixing its misses stays a deliberate choice (and retires it as held out).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from bot.app.config import DEFAULT_CONFIG_DIR, load_lexicon
from bot.core.chrome import strip_outlet_tail
from bot.core.matching import TopicIndex
from bot.core.topics import parse_topic

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "data" / "match_heldout5.tsv"


def main(path: Path) -> None:
    aliases = load_lexicon(DEFAULT_CONFIG_DIR)
    lines = path.read_text(encoding="utf-8").splitlines()
    outcomes: Counter[tuple[bool, bool]] = Counter()
    per_category: Counter[str] = Counter()
    misses = []
    for line in lines[1:]:
        id_, category, topic_text, text, expected_s = line.split("\t")[:5]  # a sixth column may give the source
        expected = expected_s == "1"
        topic = parse_topic(topic_text, aliases)
        # Each case is a headline: read as a feed's title is (an outlet's name after it removed).
        got = bool(topic and TopicIndex([topic]).match_text(strip_outlet_tail(text)))
        outcomes[(got, expected)] += 1
        if got != expected:
            per_category[category] += 1
            misses.append(f"{'FP' if got else 'FN'} {id_} [{category}] {topic_text!r} ~ {text}")
    tp, fp, fn = outcomes[(True, True)], outcomes[(True, False)], outcomes[(False, True)]
    print(f"{path.name}: {len(lines) - 1} cases; precision {tp / max(1, tp + fp):.3f}, recall {tp / max(1, tp + fn):.3f}; "
          f"{fp} false positives, {fn} false negatives")
    print("misses by category: " + (", ".join(f"{c} {n}" for c, n in per_category.most_common()) or "none"))
    print("\n".join(misses))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
