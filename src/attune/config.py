"""`.empathy/config.yaml`: categories, output directory, token budget and template overrides."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from attune import paths, yamlio
from attune.errors import Problem, UserError
from attune.yamlio import KeyPath

if TYPE_CHECKING:
    from attune.hooks import policy as hook_policy
    from attune.llm import settings as llm_settings
    from attune.memory import settings as memory_settings
    from attune.team import settings as team_settings

_Reporter = Callable[[KeyPath, str], None]


class Category(NamedTuple):
    name: str  # the folder under .empathy/patterns/
    output: str  # the rule file name under the output directory, without `.md`
    title: str
    description: str


class Config(NamedTuple):
    categories: tuple[Category, ...]
    output_dir: str
    token_budget: int
    templates_dir: str
    # The sections other commands own, None when the file has none: read them through the
    # properties below, which stand in the owner's defaults, so that a sync never imports them.
    hooks_section: hook_policy.Policy | None = None
    llm_section: llm_settings.LlmSettings | None = None
    triggers_section: llm_settings.Triggers | None = None
    memory_section: memory_settings.Settings | None = None
    targets: tuple[str, ...] = ("claude",)  # the agents whose files the sync writes (issue 16)
    team_section: team_settings.TeamSettings | None = None  # issue 14

    @property
    def hooks(self) -> hook_policy.Policy:
        from attune.hooks import policy as hook_policy

        return self.hooks_section if self.hooks_section is not None else hook_policy.DEFAULT

    @property
    def llm(self) -> llm_settings.LlmSettings:
        from attune.llm import settings as llm_settings

        return self.llm_section if self.llm_section is not None else llm_settings.DEFAULT

    @property
    def triggers(self) -> llm_settings.Triggers:
        from attune.llm import settings as llm_settings

        return self.triggers_section if self.triggers_section is not None else llm_settings.DEFAULT_TRIGGERS

    @property
    def memory(self) -> memory_settings.Settings:
        from attune.memory import settings as memory_settings

        return self.memory_section if self.memory_section is not None else memory_settings.DEFAULT

    @property
    def team(self) -> team_settings.TeamSettings:
        from attune.team import settings as team_settings

        return self.team_section if self.team_section is not None else team_settings.DEFAULT

    def category(self, name: str) -> Category | None:
        for category in self.categories:
            if category.name == name:
                return category
        return None


DEFAULT_CATEGORIES = (
    Category(
        "debugging",
        "bug-patterns",
        "Bug patterns",
        "Errors this codebase has met, their root causes and the fixes that worked. "
        "When you see one of these errors, try the known fix first.",
    ),
    Category(
        "security",
        "security-decisions",
        "Security decisions",
        "Security decisions this team has made. Follow them; if a change needs to depart from one, say so explicitly.",
    ),
    Category(
        "tech_debt",
        "tech-debt-hotspots",
        "Tech-debt hotspots",
        "Fragile or costly areas of the code and how to change them safely.",
    ),
    Category(
        "inspection",
        "coding-patterns",
        "Coding patterns",
        "Conventions this codebase follows. Match them in new code.",
    ),
)
DEFAULT = Config(DEFAULT_CATEGORIES, paths.DEFAULT_OUTPUT_DIR, 2000, paths.DEFAULT_TEMPLATES_DIR)

_KEYS = (
    "version",
    "categories",
    "output_dir",
    "token_budget",
    "templates_dir",
    "hooks",
    "llm",
    "triggers",
    "memory",
    "targets",
    "team",
)
_CATEGORY_KEYS = ("output", "title", "description")
_CATEGORY_NAME = re.compile(r"[a-z][a-z0-9_]*$")
_OUTPUT_NAME = re.compile(r"[a-z0-9][a-z0-9-]*$")


def load(root: Path) -> Config:
    """The project's config; any problem is a UserError naming the first one."""
    config, problems = read(root)
    errors = [p for p in problems if not p.warning]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise UserError(f"{errors[0]}{more}")
    return config


def read(root: Path) -> tuple[Config, list[Problem]]:
    """The project's config and every problem in it; defaults stand in for bad values."""
    path = root / paths.CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return DEFAULT, []
    except (OSError, UnicodeDecodeError) as exc:
        return DEFAULT, [Problem(paths.CONFIG_FILE, 1, f"cannot read the config: {exc}")]
    return parse(text)


def parse(text: str, where: str = paths.CONFIG_FILE, *, today: str | None = None) -> tuple[Config, list[Problem]]:
    """The config in `text` and its problems; `today` (ISO date) dates model deprecations."""
    try:
        doc = yamlio.load(text)
    except yamlio.YamlError as exc:
        return DEFAULT, [Problem(where, exc.line, exc.message)]
    if doc.data is None:
        return DEFAULT, []
    if not isinstance(doc.data, dict):
        return DEFAULT, [Problem(where, 1, "the config must be a mapping of `key: value` lines")]
    problems: list[Problem] = []

    def problem(key: KeyPath, message: str) -> None:
        problems.append(Problem(where, _line(doc.lines, key), message))

    def warn(key: KeyPath, message: str) -> None:
        problems.append(Problem(where, _line(doc.lines, key), message, warning=True))

    data: dict[str, object] = doc.data
    for key in data:
        if key not in _KEYS:
            problem((key,), _unknown("key", key, _KEYS))
    version = data.get("version", 1)
    if version != 1:
        problem(("version",), f"unsupported config version {version!r}; this release reads version 1")
    categories = _categories(data.get("categories"), doc.lines, problem)
    output_dir = _relative_dir(data, "output_dir", DEFAULT.output_dir, problem)
    templates_dir = _relative_dir(data, "templates_dir", DEFAULT.templates_dir, problem)
    budget = data.get("token_budget", DEFAULT.token_budget)
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 0:
        problem(("token_budget",), "token_budget must be a whole number of tokens, such as 2000")
        budget = DEFAULT.token_budget
    if output_dir.split("/")[0] == paths.EMPATHY_DIR:
        problem(("output_dir",), "output_dir must be outside .empathy/; Claude Code reads .claude/rules/")
        output_dir = DEFAULT.output_dir
    config = Config(categories, output_dir, budget, templates_dir, *_sections(data, problem, warn, today))
    if "targets" in data:
        from attune.sync.targets import settings as target_settings

        config = config._replace(targets=target_settings.parse(data["targets"], problem))
    if "team" in data:
        from attune.team import settings as team_settings

        config = config._replace(team_section=team_settings.parse(data["team"], problem))
    return config, sorted(problems, key=lambda p: p.line)


_Sections = tuple[
    "hook_policy.Policy | None",
    "llm_settings.LlmSettings | None",
    "llm_settings.Triggers | None",
    "memory_settings.Settings | None",
]


def _sections(data: Mapping[str, object], problem: _Reporter, warn: _Reporter, today: str | None) -> _Sections:
    """hooks, llm, triggers and memory, each parsed by the module that owns it, if it is there."""
    hooks = llm = triggers = memory = None
    if "hooks" in data:
        from attune.hooks import policy as hook_policy

        hooks = hook_policy.parse(data["hooks"], problem)
    if "llm" in data or "triggers" in data:
        from attune.llm import settings as llm_settings

        llm = llm_settings.parse_llm(data.get("llm"), problem, warn, today) if "llm" in data else None
        triggers = llm_settings.parse_triggers(data.get("triggers"), problem) if "triggers" in data else None
    if "memory" in data:
        from attune.memory import settings as memory_settings

        memory = memory_settings.parse(data["memory"], problem)
    return hooks, llm, triggers, memory


def _categories(value: object, lines: Mapping[KeyPath, int], problem: _Reporter) -> tuple[Category, ...]:
    if value is None:
        return DEFAULT_CATEGORIES
    if not isinstance(value, dict) or not value:
        problem(
            ("categories",), "categories must map a folder name to a rule file name, e.g. `debugging: bug-patterns`"
        )
        return DEFAULT_CATEGORIES
    defaults = {c.name: c for c in DEFAULT_CATEGORIES}
    result: list[Category] = []
    outputs: dict[str, str] = {}
    for name, spec in value.items():
        key: KeyPath = ("categories", name)
        if not isinstance(name, str) or not _CATEGORY_NAME.match(name):
            problem(key, f"category name {name!r} must be lowercase letters, digits and '_' (it names a folder)")
            continue
        known = defaults.get(name)
        title = known.title if known else name.replace("_", " ").capitalize()
        description = known.description if known else ""
        if isinstance(spec, dict):
            for sub in spec:
                if sub not in _CATEGORY_KEYS:
                    problem((*key, sub), _unknown(f"key in category {name!r}", sub, _CATEGORY_KEYS))
            output = spec.get("output")
            title = _text(spec.get("title"), title)
            description = _text(spec.get("description"), description)
        else:
            output = spec
        if not isinstance(output, str) or not _OUTPUT_NAME.match(output):
            problem(
                key,
                f"category {name!r} needs an output file name of lowercase letters, digits and '-', "
                f"e.g. `{name}: {name.replace('_', '-')}`",
            )
            continue
        if output in outputs:
            problem(key, f"categories {outputs[output]!r} and {name!r} both write {output}.md; give each its own name")
            continue
        outputs[output] = name
        result.append(Category(name, output, title, description))
    return tuple(result) or DEFAULT_CATEGORIES


def _relative_dir(data: Mapping[str, object], key: str, default: str, problem: _Reporter) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        problem((key,), f"{key} must be a directory path relative to the repository root")
        return default
    clean = value.strip().rstrip("/")
    if clean.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", clean) or ".." in clean.split("/"):
        problem((key,), f"{key} {value!r} must stay inside the repository: use a relative path without '..'")
        return default
    return clean.removeprefix("./")


def _text(value: object, default: str) -> str:
    return value if isinstance(value, str) else default


def _unknown(what: str, key: object, known: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
    return f"unknown {what} {key!r} ({hint})"


def _line(lines: Mapping[KeyPath, int], key: KeyPath) -> int:
    while key and key not in lines:
        key = key[:-1]
    return lines.get(key, 1)
