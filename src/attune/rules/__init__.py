"""Scoped rules on every path the agent takes, and why a rule did or did not load (issue 13)."""
