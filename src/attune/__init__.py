"""Attune Companion: a pattern library, secret scanning and hooks for Claude Code."""

from __future__ import annotations

__version__ = "0.1.0"
