"""End-to-end tests: the real Claude Code CLI against the fake Messages API."""
