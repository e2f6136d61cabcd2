"""Where the stems that name personal data stand on a long line, found once per line (issue 15).

`pii_context` reads a long line (minified code, a JSON record, base64) in windows around each value, and asked its
stem regex about each window: 1 MB of base64 holds about 5,500 windows, and the regex, tried at every offset of
each, cost 60 ms. One Aho-Corasick pass over the line finds every stem at C speed; a window then asks only about
the few stems that start in it.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ahocorasick

_automata: dict[tuple[str, ...], ahocorasick.Automaton] = {}


def _automaton(stems: tuple[str, ...]) -> ahocorasick.Automaton:
    found = _automata.get(stems)
    if found is None:
        import ahocorasick  # a C extension, imported only for a long line (hooks stay light)

        found = ahocorasick.Automaton()
        for stem in stems:
            found.add_word(stem, len(stem))
        found.make_automaton()
        _automata[stems] = found
    return found


class LineStems:
    """Every stem on lower[lo:hi]: where each starts, and where each of the stems starting there ends."""

    def __init__(self, stems: tuple[str, ...], lower: str, lo: int, hi: int) -> None:
        ends: dict[int, list[int]] = {}
        for last, size in _automaton(stems).iter(lower, lo, hi):
            ends.setdefault(last + 1 - size, []).append(last + 1)
        self.starts = sorted(ends)
        self.ends = {start: sorted(found) for start, found in ends.items()}

    def any_valid(self, lo: int, hi: int, valid: Callable[[int, int], bool]) -> bool:
        """What `_STEM.search(lower, at, hi)` from each stem's start in [lo, hi) would judge: the longest stem
        that starts there and ends by `hi`, as the stem regex (a trie that goes deeper before it stops) finds."""
        for start in self._between(lo, hi):
            end = max((end for end in self.ends[start] if end <= hi), default=None)
            if end is not None and valid(start, end):
                return True
        return False

    def _between(self, lo: int, hi: int) -> Iterable[int]:
        at = bisect.bisect_left(self.starts, lo)
        while at < len(self.starts) and self.starts[at] < hi:
            yield self.starts[at]
            at += 1
