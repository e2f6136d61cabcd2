"""`datetime.date` and `datetime.datetime` without importing `datetime`.

On CPython before 3.12, `import datetime` first runs the whole pure-Python implementation and
then replaces it with the C one: 3 ms or more, the time it takes to parse 50 patterns (and a
forked parser pays it again). The C module `_datetime` holds the very same classes
(`datetime.date is _datetime.date`), so dates are read with them, the way `attune.digest`
takes BLAKE2 from `_blake2`. Values made here compare and isinstance() as `datetime`'s do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typeshed describes the classes where they are re-exported
    from datetime import date, datetime
else:
    try:
        from _datetime import date, datetime
    except ImportError:  # pragma: no cover - interpreters without the C module
        from datetime import date, datetime

__all__ = ["date", "datetime"]
