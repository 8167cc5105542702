"""Matching at scale: 200,000 chats × 5 topics = 1,000,000 subscriptions.

Prints figures; asserts nothing. Run: ./dev bench-match [--chats N] [--items N]

Vocabulary: every alias variant (names, places, organisations), the
broken-plural lexicon's singulars, and one-to-three-word phrases taken from
the evaluation set's real-style headlines. Items: ~300-word Arabic news texts
assembled from the seed article and those headlines.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.config import DEFAULT_CONFIG_DIR, load_lexicon
from bot.core.matching import TopicIndex, _chain
from bot.core.models import Item
from bot.core.morphology import (
    _BROKEN_PLURALS_WRITTEN,
    analyze,
)
from bot.core.normalize import WORD_RE, tokenize
from bot.core.subscriptions import Subscriptions
from bot.core.topics import parse_topic

SEED = (ROOT / "seeds" / "000_bd537ae80dd81654.txt").read_text(encoding="utf-8")
EVAL = ROOT / "tests" / "data" / "match_eval.tsv"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def eval_rows() -> list[list[str]]:
    return [line.split("\t") for line in EVAL.read_text(encoding="utf-8").splitlines()[1:]]


def headlines(part: int) -> list[str]:
    """Half the evaluation headlines: part 0 feeds the vocabulary, part 1 the items,
    so items are not built from the very phrases subscribers follow."""
    texts = sorted({r[3] for r in eval_rows()})
    return texts[part::2]


# Nobody follows «في» or «على»: function words are not topics, nor do phrases start or end with them.
STOPWORDS = set(
    ["في", "من", "على", "إلى", "الى", "عن", "مع", "بعد", "قبل", "بين", "خلال", "التي", "الذي", "الذين", "أن", "إن", "ان", "كان", "كانت", "هذا", "هذه", "ذلك", "تلك", "لدى", "منذ", "حتى", "عند", "أو", "او", "ثم", "لم", "لن", "قد", "كما", "وفي", "ومن", "وعلى", "وأن", "بأن", "الى", "أمام", "اليوم", "أمس", "غدا", "مساء", "صباح", "يوم", "عام"]
)


def vocabulary(rng: random.Random) -> list[str]:
    aliases = load_lexicon(DEFAULT_CONFIG_DIR)
    vocab = {v for group in aliases.groups for v in group}
    vocab.update(_BROKEN_PLURALS_WRITTEN)
    vocab.update(r[2] for r in eval_rows())  # topics as subscribers typed them
    for text in headlines(0):
        words = [w for w in WORD_RE.findall(text) if len(w) > 2 and not w.isdigit()]
        for n in (1, 2, 3):
            for i in range(0, max(0, len(words) - n + 1), 2):
                phrase = words[i : i + n]
                if phrase[0] not in STOPWORDS and phrase[-1] not in STOPWORDS:
                    vocab.add(" ".join(phrase))
    vocab_list = sorted(vocab)
    rng.shuffle(vocab_list)
    return vocab_list


def make_items(rng: random.Random, n: int) -> list[Item]:
    sentences = [s for s in SEED.split("\n") if len(s.split()) > 5] + headlines(1)
    items = []
    for i in range(n):
        body: list[str] = []
        while sum(len(s.split()) for s in body) < 300:
            body.append(rng.choice(sentences))
        items.append(Item("bench", f"u{i}", rng.choice(headlines(1)), "\n".join(body)))
    return items


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn, items: list[Item]) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chats", type=int, default=200_000)
    ap.add_argument("--topics-per-chat", type=int, default=5)
    ap.add_argument("--items", type=int, default=300)
    ap.add_argument("--naive-subs", type=int, default=5_000, help="subscriptions for the linear baseline")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tail", type=float, default=0.0,
                    help="fraction of subscriptions that are a chat's own 2-3 word phrase (a long tail of distinct topics)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    vocab = vocabulary(rng)
    # News interest is skewed: a few topics are followed by many chats.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(vocab))]
    items = make_items(rng, args.items)
    words = statistics.mean(len(WORD_RE.findall(i.title + " " + i.body)) for i in items)
    n_subs = args.chats * args.topics_per_chat
    print(f"vocabulary: {len(vocab)} distinct topics; items: {len(items)} of ~{words:.0f} words")

    picks = rng.choices(vocab, weights=weights, k=n_subs)
    singles = [v for v in vocab if " " not in v]
    for i in range(n_subs):
        if rng.random() < args.tail:
            picks[i] = " ".join(rng.choices(singles, k=rng.choice((2, 3))))
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    subs = Subscriptions(load_lexicon(DEFAULT_CONFIG_DIR))
    for chat in range(args.chats):
        for topic in picks[chat * args.topics_per_chat : (chat + 1) * args.topics_per_chat]:
            subs.add(chat, topic)
    build = time.perf_counter() - t0
    gc.collect()
    print(f"index: {n_subs:,} subscriptions ({len(subs.index):,} distinct topics) built in {build:.1f} s, "
          f"memory +{rss_mb() - before:.0f} MB (RSS)")

    for item in items[:20]:  # warm the word-analysis cache as a running bot would be
        subs.index.match_item(item)
    topic_ms = timed(subs.index.match_item, items)
    fan_ms = timed(subs.recipients, items)
    matched = statistics.mean(len(subs.index.match_item(i)) for i in items)
    chats = statistics.mean(len(subs.recipients(i)) for i in items)
    print(f"indexed match (topics of one item): median {statistics.median(topic_ms):.2f} ms, "
          f"p99 {percentile(topic_ms, 0.99):.2f} ms; {matched:.1f} topics matched per item")
    print(f"indexed match + fan-out to chats:   median {statistics.median(fan_ms):.2f} ms, "
          f"p99 {percentile(fan_ms, 0.99):.2f} ms; {chats:,.0f} chats per item")

    naive_topics = [t for t in (parse_topic(p, subs.aliases) for p in picks[: args.naive_subs]) if t]
    naive_items = items[:20]
    naive_ms = timed(lambda item: naive_match(naive_topics, item), naive_items)
    small = TopicIndex(naive_topics)
    small_ms = timed(small.match_item, naive_items)
    per_sub = statistics.median(naive_ms) / len(naive_topics)
    print(f"naive (every subscription tested against the item, text analysed once), {len(naive_topics):,} subscriptions: "
          f"median {statistics.median(naive_ms):.1f} ms, p99 {percentile(naive_ms, 0.99):.1f} ms; "
          f"indexed on the same {len(naive_topics):,}: median {statistics.median(small_ms):.2f} ms "
          f"→ {statistics.median(naive_ms) / statistics.median(small_ms):.0f}× faster")
    print(f"naive extrapolated to {n_subs:,} subscriptions: ~{per_sub * n_subs / 1000:.0f} s per item "
          f"(vs {statistics.median(topic_ms):.2f} ms indexed: ~{per_sub * n_subs / statistics.median(topic_ms):,.0f}×)")


def naive_match(topics: list, item: Item) -> set[str]:  # type: ignore[type-arg]
    """The simple approach: try every subscription at every word of the item."""
    found = set()
    for text in (item.title, item.body):
        tokens = tokenize(text)
        forms = [analyze(t.norm) for t in tokens]
        for topic in topics:
            if any(_chain(p, tokens, forms, i) for p in topic.patterns for i in range(len(tokens))):
                found.add(topic.key)
    return found


if __name__ == "__main__":
    main()
