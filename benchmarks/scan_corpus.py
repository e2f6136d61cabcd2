"""A labeled corpus for secret and PII scanners, and a scorer at (file, line) level.

    python -m benchmarks.scan_corpus generate DIR [--files N] [--size-mb M] [--seed S]
    python -m benchmarks.scan_corpus score LABELS FINDINGS   (FINDINGS: JSON list of [file, line, kind])

Files in many languages carry filler code plus injected lines: fake credentials and personal data in real
formats (labelled with their type), and hard negatives (labelled with their category) such as documented
example keys, placeholders, environment reads, hashes, git SHAs, UUIDs, lockfile integrity hashes, image
data, minified code and test names. Every value is generated at run time (benchmarks/fakes.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from benchmarks import corpus_providers, corpus_syntaxes
from benchmarks.corpus_lines import (
    LANGUAGES,
    NEGATIVES,
    PII,
    SECRET_KINDS,
    WORDS,
    Line,
    negative_line,
    pii_line,
    secret_lines,
)


def generate(
    root: Path, *, files: int, seed: int, density: float = 1.0, size_mb: float = 0.0
) -> list[dict[str, object]]:
    """Write the corpus under `root`; return the labels. `density` scales injected lines per file."""
    r = random.Random(seed)
    labels: list[dict[str, object]] = []
    total = 0
    index = 0
    while index < files or total < size_mb * 1_000_000:
        if r.random() < 0.03:  # a credential file with a structure of its own (issue 12)
            rel, lines = corpus_providers.structured_file(r, index)
            total += _write(root, rel, lines, labels)
            index += 1
            continue
        name, lang = r.choice(list(LANGUAGES.items()))
        suffix = r.choice(lang.suffixes)
        rel = f"{r.choice(WORDS)}/{name}_{index}{suffix}" if suffix != "Dockerfile" else f"svc_{index}/Dockerfile"
        # Blocks keep a multi-line value (a PEM key) whole: injections go between blocks, never inside one.
        blocks: list[list[Line]] = [[Line(lang.filler(r))] for _ in range(r.randrange(40, 160))]
        for _ in range(max(0, round(r.gauss(3, 1.5) * density))):
            pick = r.random()
            if pick < 0.25:
                block = secret_lines(r, lang, r.choice(SECRET_KINDS))
            elif pick < 0.4:  # the provider formats of issue 12, each with its hard negatives
                block = [corpus_providers.provider_line(r, lang)]
            elif pick < 0.65:
                block = [pii_line(r, lang, r.choice(list(PII)))]
            elif pick < 0.85:
                block = [negative_line(r, lang, r.choice(list(NEGATIVES)))]
            else:
                block = [corpus_providers.provider_negative(r, lang)]
            blocks.insert(r.randrange(len(blocks) + 1), [*block, Line("")])
        total += _write(root, rel, [line for block in blocks for line in block], labels)
        index += 1
    if files:  # the syntax files (issue 12), from their own random stream: the files above stay as they were
        labels += corpus_syntaxes.generate(root, random.Random(seed + 1), per_syntax=max(1, files // 100))
    return labels


def _write(root: Path, rel: str, lines: list[Line], labels: list[dict[str, object]]) -> int:
    """Write one file, append its labels, return its size."""
    text = "\n".join(line.text for line in lines) + "\n"
    # filler lines may hold several physical lines; number them as written
    number = 1
    for line in lines:
        if line.kind:
            labels.append({"file": rel, "line": number, "kind": line.kind, "label": line.label})
        number += line.text.count("\n") + 1
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return len(text)


class Score(NamedTuple):
    recall: float
    precision: float
    tp: int
    fp: int
    fn: int


def score(labels: list[dict[str, object]], findings: list[tuple[str, int, str]]) -> dict[str, object]:
    """Recall and precision per kind at (file, line); recall per type; false alarms per negative category."""
    found = {(f, n, k) for f, n, k in findings}
    result: dict[str, object] = {}
    for kind in ("secret", "pii"):
        truth = {(str(x["file"]), int(str(x["line"]))) for x in labels if x["kind"] == kind}
        reported = {(f, n) for f, n, k in found if k == kind}
        tp, fp, fn = len(truth & reported), len(reported - truth), len(truth - reported)
        result[kind] = Score(tp / (tp + fn) if tp + fn else 1.0, tp / (tp + fp) if tp + fp else 1.0, tp, fp, fn)
    any_kind = {(f, n) for f, n, _ in found}
    per_type: dict[str, list[int]] = {}
    for x in labels:
        at = (str(x["file"]), int(str(x["line"])))
        # a negative counts as a false alarm whatever kind was reported; a positive needs its own kind
        hit = at in any_kind if x["kind"] == "negative" else (*at, x["kind"]) in found
        tally = per_type.setdefault(f"{x['kind']}:{x['label']}", [0, 0])
        tally[0] += hit
        tally[1] += 1
    result["per_type"] = per_type
    labelled = {(str(x["file"]), int(str(x["line"]))) for x in labels}
    result["unlabelled_alarms"] = len({(f, n) for f, n, _ in found} - labelled)
    return result


def per_syntax(result: dict[str, object]) -> dict[str, tuple[float, float]]:
    """Recall and precision per syntax: its positives found, against its own hard negatives flagged (issue 12)."""
    per_type = result["per_type"]
    assert isinstance(per_type, dict)
    rows = {}
    for key, (found, total) in sorted(per_type.items()):
        if key.startswith("secret:syntax/"):
            syntax = key.removeprefix("secret:syntax/")
            flagged = per_type.get(f"negative:syntax/{syntax}", [0, 0])[0]
            rows[syntax] = (found / total if total else 1.0, found / (found + flagged) if found + flagged else 1.0)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scan_corpus")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate")
    gen.add_argument("root", type=Path)
    gen.add_argument("--files", type=int, default=400)
    gen.add_argument("--size-mb", type=float, default=0.0)
    gen.add_argument("--density", type=float, default=1.0)
    gen.add_argument("--seed", type=int, default=2026)
    sc = commands.add_parser("score")
    sc.add_argument("labels", type=Path)
    sc.add_argument("findings", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        labels = generate(args.root, files=args.files, seed=args.seed, density=args.density, size_mb=args.size_mb)
        args.root.with_suffix(".labels.json").write_text(json.dumps(labels))
        counts = Counter(str(x["kind"]) for x in labels)
        print(f"{args.root}: {dict(counts)}", file=sys.stderr)
        return 0
    result = score(json.loads(args.labels.read_text()), [tuple(f) for f in json.loads(args.findings.read_text())])
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
