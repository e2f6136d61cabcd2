"""LLM helpers: the model router, the guarded Anthropic client, the ledger and the wizards (issue 6)."""
