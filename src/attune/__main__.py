"""Allow `python -m attune`."""

from __future__ import annotations

from attune.cli import main

raise SystemExit(main())
