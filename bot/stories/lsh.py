"""The LSH band index of a chat's window: which articles share a band of their MinHash signature.

A window of 10,000 articles has 210,000 band keys, nearly all held by one article. A set per
key made the index most of the objects the garbage collector walks (a full collection holds
the interpreter, event loop included, while it walks them); so a key holds its one article's
hash, and a set only once a second article shares it.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

from bot.stories.text import BANDS, ROWS


def band_keys(signature: tuple[int, ...]) -> list[int]:
    """Return the band keys of a signature: near-duplicates share at least one."""
    rows = (signature[r::ROWS] for r in range(ROWS))
    # Band i is (i, its ROWS values); the first row has one value more than BANDS: unused.
    return list(map(hash, zip(range(BANDS), *rows, strict=False)))


class BandIndex:
    """Article hashes by band key."""

    def __init__(self) -> None:
        self._keys: dict[int, str | set[str]] = {}

    def add(self, article_hash: str, keys: list[int]) -> None:
        """Index an article under its band keys."""
        # setdefault in C takes the keys no other article holds (nearly all of them).
        held = map(self._keys.setdefault, keys, repeat(article_hash))
        for key, other in [
            (k, o) for k, o in zip(keys, held, strict=True) if o is not article_hash
        ]:
            if isinstance(other, set):
                other.add(article_hash)
            elif other != article_hash:
                self._keys[key] = {other, article_hash}

    def remove(self, article_hash: str, keys: Iterable[int]) -> None:
        """Take an article out of the index."""
        for key in keys:
            held = self._keys.get(key)
            if held == article_hash:
                del self._keys[key]
            elif isinstance(held, set):
                held.discard(article_hash)
                if len(held) == 1:
                    self._keys[key] = held.pop()

    def sharing(self, keys: Iterable[int]) -> set[str]:
        """Return the articles that share at least one of these band keys."""
        found: set[str] = set()
        for key in keys:
            held = self._keys.get(key)
            if isinstance(held, set):
                found |= held
            elif held is not None:
                found.add(held)
        return found

    def __len__(self) -> int:
        return len(self._keys)
