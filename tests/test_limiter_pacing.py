"""The global pace under a late-scheduled caller: no catch-up bursts, never over the limit.

Pure unit tests: the limiter is driven with a fake clock the way the delivery
worker drives it (ask `global_at`, wait until then, take), except that every
wake-up may be late, as when the process is not scheduled in time.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from itertools import pairwise

import pytest

from bot.core.models import Limits
from bot.delivery.limiter import JITTER, SAFETY, RateLimiter


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def sleep_until(self, t: float, late: float = 0.0) -> None:
        self.now = max(self.now, t) + late


def greedy(limiter: RateLimiter, clock: FakeClock, seconds: float, lateness: Callable[[], float]) -> list[float]:
    """Send to a new chat whenever allowed, waking `lateness()` late each time; the departure times."""
    sent: list[float] = []
    end = clock.now + seconds
    while clock.now < end:
        at = limiter.global_at(clock.now)
        if at > clock.now:
            clock.sleep_until(at, lateness())
            continue
        limiter.take(10_000 + len(sent), clock.now)
        sent.append(clock.now)
    return sent


def busiest_second(times: list[float]) -> int:
    """Most sends in any window (a, a + 1], as Telegram (and the fake Bot API) count them."""
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def interval(rate: float) -> float:
    return 1.0 / (rate * SAFETY)


@pytest.mark.parametrize("jump", [0.05, 0.5, 7.0])
def test_a_late_wake_up_allows_one_send_then_the_strict_pace(jump: float) -> None:
    limiter, clock = RateLimiter(Limits(global_per_second=300)), FakeClock()
    greedy(limiter, clock, 2.0, lambda: 0.0)  # on schedule for a while
    clock.now += jump  # the process was not scheduled for `jump` seconds
    allowed_now = 0
    while limiter.global_at(clock.now) <= clock.now and allowed_now < 100:
        limiter.take(1 + allowed_now, clock.now)
        allowed_now += 1
    assert allowed_now == 1
    # Nothing banked from the stall: the next send is a whole interval later.
    assert limiter.global_at(clock.now) >= clock.now + interval(300) - 1e-12


@pytest.mark.parametrize("rate", [30, 300])
@pytest.mark.parametrize("seed", range(5))
def test_no_second_ever_holds_more_than_the_limit_however_late_the_caller(rate: int, seed: int) -> None:
    rng = random.Random(seed)

    def lateness() -> float:
        roll = rng.random()
        if roll < 0.6:
            return rng.uniform(0.0, 0.005)  # a busy event loop
        if roll < 0.95:
            return rng.uniform(0.0, 2 * interval(rate))  # around one interval late
        return rng.uniform(0.02, 0.6)  # not scheduled at all for a while

    limiter, clock = RateLimiter(Limits(global_per_second=rate)), FakeClock()
    sent = greedy(limiter, clock, 60.0, lateness)
    assert busiest_second(sent) <= rate
    # The margin left for arrivals that bunch on the way (see SAFETY) stays.
    assert busiest_second(sent) <= math.ceil(rate * SAFETY + JITTER)
    gaps = [b - a for a, b in pairwise(sent)]
    assert min(gaps) >= (1 - JITTER) * interval(rate) - 1e-9  # never two at once


def test_a_timer_that_fires_a_little_late_costs_no_throughput() -> None:
    rng = random.Random(1)
    limiter, clock = RateLimiter(Limits(global_per_second=300)), FakeClock()
    sent = greedy(limiter, clock, 20.0, lambda: rng.uniform(0.0, JITTER * interval(300)))
    assert len(sent) / 20.0 >= 300 * SAFETY * 0.99


@pytest.mark.parametrize("safety", [0.93, 0.97, 1.0])
def test_the_margin_is_the_operators_setting(safety: float) -> None:
    """telegram.limits.safety: the pace is that share of the limit, and no second ever holds more than the limit."""
    rng = random.Random(2)
    limiter, clock = RateLimiter(Limits(global_per_second=1000, safety=safety)), FakeClock()
    sent = greedy(limiter, clock, 10.0, lambda: rng.uniform(0.0, 0.5 / (1000 * safety)))
    assert len(sent) / 10.0 == pytest.approx(1000 * safety, rel=0.01)
    assert busiest_second(sent) <= math.ceil(1000 * safety + JITTER) <= 1001
