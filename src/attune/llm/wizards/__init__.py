"""The wizards: a literal registry, one module per wizard (issue 6)."""

from __future__ import annotations

from attune.llm.wizards import bug_pattern, code_review, security_review, session_summary, test_gen
from attune.llm.wizards.base import Wizard

WIZARDS: dict[str, Wizard] = {
    "security-review": security_review.WIZARD,
    "bug-pattern": bug_pattern.WIZARD,
    "session-summary": session_summary.WIZARD,
    "code-review": code_review.WIZARD,
    "test-gen": test_gen.WIZARD,
}
