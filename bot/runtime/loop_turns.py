"""Turns on the event loop: one CPU-heavy step per loop iteration, so the loop never stalls.

asyncio runs every callback that was ready when an iteration began before it looks at its
timers or sockets again. In a burst, dozens of tasks become ready together (getUpdates hands
out 100 updates; the LLM's answers to 32 calls started together arrive together; the send
limiter grants a quarter second's replies at once), and each one's next step builds an HTTP
request or parses an answer in the client libraries (1-5 ms). Run back to back, those steps
held the loop 30-100 ms while every other chat, timer and socket waited.

`await take_turn()` right before such a step: the first task of an iteration goes on at
once, the others queue and are let through one per iteration, in order. A single article
never waits (no one else wants a turn), and the total work is the same, only interleaved.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque


class Turns:
    """Hand out one turn per event-loop iteration, first come first served."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._taken = False  # someone has this iteration's turn
        self._waiting: deque[asyncio.Future[None]] = deque()

    async def take(self) -> None:
        """Return at once if this iteration's turn is free, else wait for a later one."""
        if not self._taken:
            self._taken = True
            self._loop.call_soon(self._next)  # runs in the next iteration
            return
        turn = self._loop.create_future()
        self._waiting.append(turn)
        await turn  # a cancelled waiter's future is cancelled too: `_next` skips it

    def _next(self) -> None:
        """Give a new iteration's turn to the first waiter, or free it."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # its task runs in the next iteration, as does:
                self._loop.call_soon(self._next)
                return
        self._taken = False

    @property
    def waiting(self) -> int:
        """How many tasks wait for a turn."""
        return len(self._waiting)


_turns: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Turns] = weakref.WeakKeyDictionary()


def turns() -> Turns:
    """Return the running loop's turns."""
    loop = asyncio.get_running_loop()
    found = _turns.get(loop)
    if found is None:
        found = _turns[loop] = Turns(loop)
    return found


async def take_turn() -> None:
    """Wait for this loop iteration's turn (see the module docstring)."""
    await turns().take()
