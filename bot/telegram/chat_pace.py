"""A private chat's smooth pacing: GCRA, one message per interval with a small burst (pure).

Why not a sliding window of 10 messages per 10 s (what this replaced): it lets ten replies
out at once and then holds the eleventh until the first slides out, so after a burst of
briefings a quick /who waited ~9.5 s while the ones around it took milliseconds. Telegram
asks for about one message a second per chat with short bursts; a generic cell rate
algorithm (GCRA, a token bucket kept as one timestamp) refills continuously, so after any
burst the next message waits at most one interval. Why not aiolimiter (PTB's
AIORateLimiter): its buckets have no priority and count a send from the grant, while ours
must hold a send's slot until Telegram has answered it (see send_windows.py) and let a
command's reply overtake the chat's queued briefings; the arithmetic is ten lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Pace:
    """One message per `interval` on average, at most `burst` back to back.

    `tat` is GCRA's theoretical arrival time: when the bucket would be full again. A send
    in flight counts as already taken; it is placed on the timeline when it is answered.
    """

    interval: float
    burst: int
    tat: float = 0.0
    in_flight: int = 0  # granted, not answered yet: they hold their slot until answered
    blocked_until: float = 0.0  # after a 429: Telegram's retry_after

    def free_at(self, now: float, keep: int = 0) -> float:
        """Return when a send leaving `keep` messages of the burst unused fits (now if it does).

        When only a send still in flight could make room, the earliest that can be is as
        if it were answered now (the answer also wakes the limiter).
        """
        allowed = self.burst - keep
        if allowed <= 0:
            return math.inf  # nothing to spare at all
        # GCRA: a send conforms at t >= TAT - (allowed - 1) * interval, with each send in
        # flight taking an interval of its own first.
        at = max(self.tat, now) + (self.in_flight - allowed + 1) * self.interval
        return max(now, at, self.blocked_until)

    def finish(self, now: float) -> None:
        """Count a granted send as answered now: it takes its interval from here."""
        self.in_flight = max(0, self.in_flight - 1)
        self.tat = max(self.tat, now) + self.interval
