"""Imports in src/attune run one way, down the layers, and no two modules import each other (issue 15).

The rule: every module belongs to exactly one layer of LAYERS below. A module imports modules
of its own layer or of a layer listed before it, never one listed after it ("upward"). And no
chain of imports leads from a module back to itself (a cycle), even inside a function: an
import inside a function is still a dependency, only a later one. Within a layer, modules may
import each other one way only, which the cycle check enforces.

Imports are read from the source with `ast`: `import a.b`, `from a import b` (b a module or a
name in a), relative imports, at module level and inside functions. A module named as a string
in a literal registry (hooks.HANDLERS) is imported by whoever runs that registry; those
registries are listed in REGISTRIES. A new module that fits no layer fails the test: place it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import attune

SRC = Path(attune.__file__).parent
ROOT = "attune"

# Bottom first. An entry names a module, or a package and everything under it; the longest
# entry that matches a module places it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "leaf modules: no attune import above this line",
        (
            ROOT,
            "attune.errors",
            "attune.atomic",
            "attune.dates",
            "attune.digest",
            "attune.appendlog",
            "attune.yamlsubset",
            "attune.yamlio",
            "attune.paths",
            "attune.diskstore",
            "attune.progress",
            "attune.safefile",
        ),
    ),
    (
        "config sections: parse a plain value into a record, nothing more",
        (
            "attune.hooks.policy",
            "attune.memory.settings",
            "attune.llm.settings",
            "attune.llm.prices",
            "attune.llm.router",
            "attune.sync.targets.settings",
            "attune.team.settings",
        ),
    ),
    ("config", ("attune.config",)),
    (
        "services every product part uses: the scanner, git, the audit log, session records, templates",
        (
            "attune.scan",
            "attune.git",
            "attune.names",
            "attune.audit",
            "attune.sessions",
            "attune.memory.classify",
            "attune.sync.template",
            "attune.sync.sandbox",
            "attune.sync.limits",
            "attune.rules",
            "attune.team",
            "attune.configcache",
        ),
    ),
    ("the pattern library: records, reading, validation, staging", ("attune.patterns",)),
    (
        "sync: the library rendered into rules",
        ("attune.sync", "attune.rules.index", "attune.rules.memo", "attune.rules.lint"),
    ),
    (
        "reviewing the library: rules rendered at two commits, compared",
        ("attune.patterns.review", "attune.patterns.review_text", "attune.patterns.snapshot"),
    ),
    ("memory and the LLM helpers", ("attune.memory", "attune.llm")),
    ("Claude Code hooks", ("attune.hooks",)),
    ("the report: a view over every part's records", ("attune.report",)),
    (
        "commands: one per CLI subcommand, each calls the parts",
        (
            "attune.patterns.command",
            "attune.sync.command",
            "attune.sync.watch",
            "attune.llm.command",
            "attune.llm.extract",
            "attune.llm.wizards.run",
            "attune.memory.command",
            "attune.doctor",
            "attune.scaffold",
            "attune.report.command",
            "attune.mcp",
            "attune.rules.explain",
            "attune.team.command",
        ),
    ),
    ("the command line", ("attune.cli", "attune.__main__")),
)

# module that runs a literal registry -> (module holding it, the registry's name)
REGISTRIES = {"attune.hooks.runner": ("attune.hooks", "HANDLERS")}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = [ROOT, *path.relative_to(SRC).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The attune module that importing `name` runs: `name` itself, else the nearest package above."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _registry(module: str, name: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == name and isinstance(node.value, ast.Dict):  # type: ignore[union-attr]
            return {v.value for v in node.value.values if isinstance(v, ast.Constant)}  # type: ignore[union-attr]
    raise AssertionError(f"{module} has no literal dict {name}")


def imports(module: str) -> set[str]:
    """Every attune module `module` imports, at module level or inside a function."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                named.add(sub if sub in MODULES else source)
    if module in REGISTRIES:
        named |= _registry(*REGISTRIES[module])
    owners = {_owner(name) for name in named if name == ROOT or name.startswith(ROOT + ".")}
    return {owner for owner in owners if owner and owner != module}


def layer(module: str) -> int | None:
    best: tuple[int, int] | None = None
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            exact = entry == module
            under = entry != ROOT and module.startswith(entry + ".")
            if (exact or under) and (best is None or len(entry) > best[0]):
                best = (len(entry), index)
    return best[1] if best else None


GRAPH = {module: imports(module) for module in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_has_a_layer():
    assert [m for m in sorted(MODULES) if layer(m) is None] == []


def test_no_module_imports_upward():
    upward = [
        f"{module} ({LAYERS[layer(module)][0]}) imports {target} ({LAYERS[layer(target)][0]})"  # type: ignore[index]
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if (layer(target) or 0) > (layer(module) or 0)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycle():
    cycles = _cycles(GRAPH)
    assert not cycles, "\n".join(" <-> ".join(c) for c in cycles)


def test_the_walker_sees_function_level_relative_and_registry_imports():
    """A walker that misses an import kind would pass on a cycle: check it sees each kind."""
    assert "attune.errors" in GRAPH["attune.config"]  # from attune.errors import ...
    assert "attune.hooks.pre_tool" in GRAPH["attune.hooks.runner"]  # HANDLERS
    assert "attune.hooks.runner" in GRAPH["attune.cli"]  # inside main()
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
