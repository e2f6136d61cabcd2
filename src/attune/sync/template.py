"""The one owner of Jinja: packaged templates, overridable from the project's template folder.

Every template renders in attune.sync.sandbox (issue 11): an override comes from the repository,
and `patterns review` renders a pull request's own templates on the reviewer's machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from attune import paths, yamlio
from attune.errors import UserError

if TYPE_CHECKING:
    import jinja2

PACKAGED = Path(__file__).resolve().parent.parent / "templates"
_SANDBOX_HINT = (
    "templates render in a sandbox: use the variables listed in the packaged template, and filters "
    "such as join, replace and format instead of Python methods"
)


def environment(root: Path, folder: str | None) -> jinja2.Environment:
    """Templates from `root/folder` (an override), then the packaged ones; `folder` None: packaged only."""
    import jinja2

    from attune.sync import sandbox

    loaders: list[jinja2.BaseLoader] = []
    if folder is not None:
        loaders.append(sandbox.Folder(str(root), folder))
    loaders.append(jinja2.PackageLoader("attune", "templates"))
    # the yaml filter: a value as YAML text that reads back the same
    return sandbox.Sandbox(jinja2.ChoiceLoader(loaders), {"yaml": yamlio.dump_scalar})


def render(env: jinja2.Environment, names: list[str], context: Mapping[str, object], root: Path) -> str:
    """Render the first of `names` that exists; a broken or hostile template is a UserError naming its line."""
    import jinja2

    from attune.sync import limits, sandbox

    assert isinstance(env, sandbox.Sandbox)  # noqa: S101 - no template renders outside the sandbox
    template: jinja2.Template | None = None
    try:
        template = env.select_template(names)
        env.start()
        parts: list[str] = []
        total = 0
        for chunk in template.generate(context):
            total += len(chunk)
            if total > limits.MAX_CHARS:
                raise jinja2.exceptions.SecurityError(f"the output is larger than {limits.MAX_CHARS:,} characters")
            env.tick()
            parts.append(chunk)
        return "".join(parts)
    except jinja2.TemplateSyntaxError as exc:
        where = _where(exc.filename, root) if exc.filename else exc.name or names[0]
        raise UserError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - a template is untrusted input: whatever it raises is its author's to fix
        where, line = _locate(exc, template, names[0], root)
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        hint = f"; {_SANDBOX_HINT}" if isinstance(exc, jinja2.exceptions.SecurityError) and "unsafe" in message else ""
        if isinstance(exc, jinja2.UndefinedError):
            hint = "; see the variables listed in the packaged template"
        raise UserError(f"{where}:{line}: template error: {message}{hint}") from None


def _locate(exc: BaseException, template: jinja2.Template | None, name: str, root: Path) -> tuple[str, int]:
    """The template file and line an error comes from: the innermost template frame of its traceback."""
    from attune.sync import sandbox

    if isinstance(exc, sandbox.Refused) and exc.path is not None:
        return exc.path, 1
    found: tuple[str, int] | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = (_where(filename, root), tb.tb_lineno)
        tb = tb.tb_next
    if found is not None:
        return found
    if template is not None and template.filename:
        return _where(template.filename, root), 1
    return name, 1


def _where(filename: str, root: Path) -> str:
    return paths.relative(Path(filename), root)
