"""The one owner of Jinja: packaged templates, overridable from the project's template folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from attune import paths, yamlio
from attune.errors import UserError

if TYPE_CHECKING:
    import jinja2

PACKAGED = Path(__file__).resolve().parent.parent / "templates"


def environment(override_dir: Path | None) -> jinja2.Environment:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None and override_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(override_dir))
    loaders.append(jinja2.PackageLoader("attune", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # noqa: S701 - the output is Markdown for a model, not HTML
    )
    env.filters["yaml"] = yamlio.dump_scalar  # a value as YAML text that reads back the same
    return env


def render(env: jinja2.Environment, names: list[str], context: Mapping[str, object], root: Path) -> str:
    """Render the first of `names` that exists; a broken override is a UserError naming it."""
    import jinja2

    try:
        template = env.select_template(names)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = paths.relative(Path(exc.filename), root) if exc.filename else exc.name or names[0]
        raise UserError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
    except jinja2.UndefinedError as exc:
        raise UserError(
            f"template {names[0]} (or an override of it): {exc.message}; "
            "see the variables listed in the packaged template"
        ) from None
