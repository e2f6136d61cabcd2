"""Render the pattern library into Claude Code rule files, once or continuously."""
