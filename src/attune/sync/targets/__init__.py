"""Other agents' instruction files (AGENTS.md, Cursor, Copilot, Gemini) from the same library (issue 16)."""
