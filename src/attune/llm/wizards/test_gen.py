"""test-gen: a source file to pytest tests; offline, one skeleton per public function with edge-case arguments."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple, cast

from attune import paths
from attune.errors import UserError
from attune.llm.wizards.base import Argument, Inputs, clip, objects, text, wizard

MAX_TESTS = 20
# Arguments worth trying first, by the annotation's outermost name.
_EDGE = {"str": '""', "int": "0", "float": "0.0", "bool": "False", "list": "[]", "Sequence": "[]", "Iterable": "[]",
         "tuple": "()", "dict": "{}", "Mapping": "{}", "set": "set()", "bytes": 'b""', "Path": 'tmp_path / "missing"',
         "None": "None", "Optional": "None"}  # fmt: skip

SCHEMA = {
    "type": "object",
    "properties": {
        "test_file": {"type": "string", "description": "where the tests belong, relative to the repository root"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "the test function's name, starting with test_"},
                    "target": {"type": "string", "description": "the function or class under test"},
                    "code": {"type": "string", "description": "the complete test function, imports included"},
                },
                "required": ["name", "target", "code"],
                "additionalProperties": False,
            },
        },
        "notes": {"type": "string"},
    },
    "required": ["test_file", "tests", "notes"],
    "additionalProperties": False,
}


class Test(NamedTuple):
    name: str  # the test function's name
    target: str  # what it tests
    code: str  # the whole function, imports included


class TestFile(NamedTuple):
    test_file: str
    tests: tuple[Test, ...]
    notes: str


def parse(output: Mapping[str, object]) -> TestFile:
    tests = tuple(Test(text(t["name"]), text(t["target"]), text(t["code"])) for t in objects(output["tests"]))
    return TestFile(text(output["test_file"]), tests, text(output["notes"]))


class Source(NamedTuple):
    rel: str
    text: str
    module: str  # the import path, for Python files
    test_file: str


def _gather(root: Path, file: str | None) -> Inputs:
    path = Path(file or "").resolve()
    rel = paths.relative(path, root)
    if rel.startswith("/") or not path.is_file():
        raise UserError(f"{file}: not a file inside {root}; name a source file of this repository")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{rel}: not UTF-8 text; test-gen reads source files") from None
    stem = import_path(root, path)
    test_file = f"tests/test_{path.stem}.py"
    existing = next(iter(sorted(root.glob(f"tests/**/test_{path.stem}.py"))), None)
    context = {"file": rel, "source": clip(text, 40_000), "module": stem,
               "existing_tests": clip(existing.read_text(encoding="utf-8"), 15_000) if existing else ""}  # fmt: skip
    return Inputs(context, Source(rel, text, stem, test_file), rel)


def import_path(root: Path, path: Path) -> str:
    """How a test imports `path`: from the first folder above its package, as Python finds it (issue 15).

    A package is the run of folders holding `__init__.py` above the file; `src/pkg/a.py`,
    `backend/src/app/models/user.py` and `lib/pkg/a.py` import as `pkg.a`, `app.models.user` and
    `pkg.a`. A file outside any package imports from after the last `src/` folder, else from the root.
    """
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    folder, depth = path.parent, 0
    while folder != root and (folder / "__init__.py").is_file():
        folder, depth = folder.parent, depth + 1
    if depth:
        return ".".join(parts[-(depth + (path.name != "__init__.py")) :])
    if "src" in parts[:-1]:
        return ".".join(parts[len(parts) - 1 - parts[::-1].index("src") + 1 :])
    return ".".join(parts)


def check(output: TestFile, inputs: Inputs) -> list[str]:
    problems = []
    target = output.test_file
    if target.startswith(("/", "~")) or ".." in target.split("/"):
        problems.append(f"$.test_file: {target!r} must be relative to the repository, without '..'")
    python = cast("Source", inputs.data).rel.endswith(".py")
    for index, test in enumerate(output.tests):
        if not test.name.startswith("test_"):
            problems.append(f"$.tests[{index}].name: {test.name!r} does not start with test_")
        if python:
            try:
                tree = ast.parse(test.code)
            except SyntaxError as exc:
                problems.append(f"$.tests[{index}].code: not valid Python (line {exc.lineno}: {exc.msg})")
                continue
            names = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            if test.name not in names:
                problems.append(f"$.tests[{index}].code: defines no function named {test.name!r}")
    return problems


def offline(inputs: Inputs) -> TestFile:
    source = cast("Source", inputs.data)
    if not source.rel.endswith(".py"):
        notes = f"offline test generation reads Python only; {source.rel} needs the model (an API key)"
        return TestFile(source.test_file, (), notes)
    try:
        tree = ast.parse(source.text)
    except SyntaxError as exc:
        raise UserError(f"{source.rel}:{exc.lineno}: not valid Python ({exc.msg}); fix it first") from None
    tests = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            tests.append(_skeleton(node, source.module, node.name))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            tests.append(_class_skeleton(node, source.module))
    notes = (f"skeletons for {len(tests)} public definition(s), arguments at their edge cases; "
             "fill in each expected value, or run with an API key for complete tests")  # fmt: skip
    return TestFile(source.test_file, tuple(tests[:MAX_TESTS]), notes)


def show(output: TestFile) -> str:
    blocks = [f"# {output.test_file}: {output.notes}"]
    blocks.extend(test.code.rstrip() for test in output.tests)
    return "\n\n\n".join(blocks)


def _skeleton(node: ast.FunctionDef | ast.AsyncFunctionDef, module: str, callee: str) -> Test:
    """A test calling `callee` (the function, or the class for an __init__) with edge-case arguments."""
    args = node.args.posonlyargs + node.args.args
    required = args[: len(args) - len(node.args.defaults)]
    values = [_EDGE.get(_outer(a.annotation), "...") for a in required if a.arg not in ("self", "cls")]
    fixture = "tmp_path" if any("tmp_path" in v for v in values) else ""
    asynchronous = isinstance(node, ast.AsyncFunctionDef) and callee == node.name
    name = f"test_{callee.lower() if callee != node.name else callee}_with_edge_case_arguments"
    code = (
        f"from {module} import {callee}\n\n\n"
        f"{'async ' if asynchronous else ''}def {name}({fixture}):\n"
        f"    # {callee}({ast.unparse(node.args)})\n"
        f"    result = {'await ' if asynchronous else ''}{callee}({', '.join(values)})\n"
        f"    assert result == ...  # fill in: the expected value\n"
    )
    return Test(name, callee, code)


def _class_skeleton(node: ast.ClassDef, module: str) -> Test:
    init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if init is not None:
        return _skeleton(init, module, node.name)
    name = f"test_{node.name.lower()}_can_be_created"
    code = f"from {module} import {node.name}\n\n\ndef {name}():\n    assert {node.name}() is not None\n"
    return Test(name, node.name, code)


def _outer(annotation: ast.expr | None) -> str:
    if annotation is None:
        return ""
    text = ast.unparse(annotation)
    if "None" in text.split("|") or text.endswith("| None"):
        return "None"
    return text.split("[", 1)[0].split(".")[-1].strip()


WIZARD = wizard(
    TestFile,
    name="test-gen",
    summary="write pytest tests for a source file; offline, skeletons with edge-case arguments",
    task="write_tests",
    start_low=False,
    schema=SCHEMA,
    prompt_version="1",
    argument=Argument("file", "FILE", "the source file to write tests for", required=True),
    gather=_gather,
    parse=parse,
    check=check,
    offline=offline,
    show=show,
)
