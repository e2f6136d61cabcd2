"""Start-up weight: the command line and cheap commands must not import heavy libraries."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("anthropic", "git", "jinja2", "yaml", "detect_secrets", "diskcache", "redis", "watchdog", "httpx", "httpx2")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    import json

    modules = set(json.loads(out.splitlines()[-1]))
    return {name for name in HEAVY if name in modules}


def test_importing_the_cli_loads_nothing_heavy():
    assert _loaded_after("import attune.cli") == set()


def test_version_loads_nothing_heavy():
    code = "from attune import cli\ntry:\n    cli.main(['--version'])\nexcept SystemExit:\n    pass"
    assert _loaded_after(code) == set()


def test_a_no_op_sync_of_a_flat_library_needs_neither_jinja_nor_pyyaml(repo):
    from tests.helpers import write_pattern

    write_pattern(repo, "one", paths=["src/**"])
    write_pattern(repo, "two", "security", body="Decision.")
    subprocess.run([sys.executable, "-m", "attune", "sync", "--root", str(repo), "-q"], check=True)
    code = f"from attune import cli\nassert cli.main(['sync', '--root', {str(repo)!r}, '-q']) == 0"
    assert _loaded_after(code) == set()


def test_a_first_sync_with_the_packaged_template_needs_no_jinja(repo):
    """attune.sync.builtin renders the packaged template; other commands' modules stay unloaded too."""
    from tests.helpers import write_pattern

    write_pattern(repo, "one", paths=["src/**"])
    write_pattern(repo, "two", "security", body="Decision.")
    code = (
        f"import sys\nfrom attune import cli\nassert cli.main(['sync', '--root', {str(repo)!r}, '-q']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in HEAVY or m.startswith(OTHERS)))"
    )
    others = ("attune.hooks", "attune.llm", "attune.memory", "attune.scan")
    probe = f"HEAVY = {HEAVY!r}\nOTHERS = {others!r}\n{code}"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert (repo / ".claude/rules/attune/bug-patterns--src.md").is_file()  # it was a first sync
    # What it renders gets the scanner's standard-library prefilter, and nothing more when clean (issue 10).
    assert out.strip() == "['attune.scan', 'attune.scan.prefilter']"
