"""`datetime.date` and `datetime.datetime` without importing `datetime`.

On CPython before 3.12, `import datetime` first runs the whole pure-Python implementation and
then replaces it with the C one: 3 ms or more, the time it takes to parse 50 patterns (and a
forked parser pays it again). The C module `_datetime` holds the very same classes
(`datetime.date is _datetime.date`), so dates are read with them, the way `attune.digest`
takes BLAKE2 from `_blake2`. Values made here compare and isinstance() as `datetime`'s do.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typeshed describes the classes where they are re-exported
    from datetime import date, datetime
else:
    try:
        from _datetime import date, datetime
    except ImportError:  # pragma: no cover - interpreters without the C module
        from datetime import date, datetime

__all__ = ["TODAY_VARIABLE", "date", "datetime", "today"]

TODAY_VARIABLE = "EMPATHY_TODAY"


def today(environ: Mapping[str, str] = os.environ, clock: Callable[[], date] = date.today) -> str:
    """Today as an ISO date: `EMPATHY_TODAY` when it holds one, else the system clock's local date.

    Deprecations and price changes are dated, so the answer of `route`, `costs` and a config check
    depends on the day; the variable lets a test, a CI run or a user asking "what about next
    month?" fix it (issue 10: no test's outcome may depend on the date).
    """
    fixed = environ.get(TODAY_VARIABLE, "")
    if fixed:
        try:
            return date.fromisoformat(fixed).isoformat()
        except ValueError:
            pass  # a malformed override is ignored, never fatal: it only moves dates
    return clock().isoformat()
