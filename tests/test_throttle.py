"""The sender's own flood control: never more than Telegram's 30 messages in any second or
one a second per chat, and close to that rate when asyncio oversleeps (fake clock: no wait)."""

from __future__ import annotations

import asyncio
import itertools

from handlers.jobs.throttle import Throttle


class OversleepingTime:
    """A monotonic clock whose sleep lasts 1 ms longer than asked, as asyncio's does."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds + 0.001


async def _send_times(chats: list[int], work: float = 0.005) -> list[float]:
    fake = OversleepingTime()
    throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    stamps = []
    for chat in chats:
        await throttle.wait(chat)
        stamps.append(fake.now)
        fake.now += work  # the send and its database writes
    return stamps


async def test_any_31_messages_span_more_than_a_second_yet_near_30_per_second() -> None:
    stamps = await _send_times(list(range(600)))
    assert min(b - a for a, b in zip(stamps, stamps[30:], strict=False)) > 1.0
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    assert 29.0 <= rate < 30.0


async def test_one_chat_gets_at_most_one_message_a_second() -> None:
    stamps = await _send_times([7, 7, 7, 7])
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(stamps))


async def test_a_429_holds_every_chat_for_retry_after() -> None:
    fake = OversleepingTime()
    throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    await throttle.wait(1)
    throttle.pause(5)
    await throttle.wait(2)
    assert fake.now >= 5.0


async def test_chat_ready_in_counts_down_the_per_chat_gap() -> None:
    fake = OversleepingTime()
    throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    assert throttle.chat_ready_in(3) == 0.0
    await throttle.wait(3)
    fake.now += 0.5
    assert 0.0 < throttle.chat_ready_in(3) <= 0.6 and throttle.chat_ready_in(4) == 0.0


async def test_waiting_ends_when_a_sleep_lands_a_float_hair_short() -> None:
    """A clock far from zero cannot add 1e-17 s: waiting must not ask for it forever."""
    class Exact(OversleepingTime):
        async def sleep(self, seconds: float) -> None:
            self.now += seconds
            await asyncio.sleep(0)  # lets the timeout below end a wait that never would

    fake = Exact()
    fake.now = 1_000_000.1
    throttle = Throttle(clock=fake.clock, sleep=fake.sleep)
    async with asyncio.timeout(10):
        for chat in range(300):
            await throttle.wait(chat)
    assert fake.now > 1_000_000.1 + 9.0
