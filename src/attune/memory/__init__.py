"""File-first memory: working memory, staging and promotion, and recall of past sessions (issue 5)."""
