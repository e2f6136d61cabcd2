"""Personal data on the labeled corpus, per type: recall, precision and false alarms per negative category.

    .venv/bin/python -m benchmarks.bench_pii [--files 600] [--density 3] [--seed 2026] [--real-tree DIR ...]

The corpus is benchmarks/scan_corpus.py's (every PII type and its hard negatives, issue 12), scanned in
process with `scan_text`. Recall of a type counts its labeled lines where any personal data was reported;
precision of a reported type counts its findings on lines labeled as personal data of that type against its
findings on lines that hold none. `--real-tree` counts PII findings by type on unlabeled real code (the
standard library, site-packages): every one of them is a false alarm to look at.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from attune.scan import scan_text
from attune.scan.files import decode
from benchmarks import corpus_pii, scan_corpus


def _findings(root: Path) -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        out += [(name, f.line, f.type) for f in scan_text(path.read_text(), name, secrets=False)]
    return out


def corpus(files: int, density: float, seed: int) -> dict[str, float]:
    root = Path(tempfile.mkdtemp(prefix="bench-pii-"))
    try:
        labels = scan_corpus.generate(root, files=files, seed=seed, density=density)
        found = _findings(root)
    finally:
        shutil.rmtree(root)
    truth = {(str(x["file"]), int(str(x["line"]))): x for x in labels}
    pii_lines = {at for at, x in truth.items() if x["kind"] == "pii"}
    reported: dict[tuple[str, int], set[str]] = {}
    for name, line, kind in found:
        reported.setdefault((name, line), set()).add(kind)
    print(f"## PII on a labeled corpus: {files} files, seed {seed}, {len(pii_lines)} lines of personal data")
    print(f"{'label':24} {'found':>6} {'lines':>6} {'recall':>7}")
    recall: dict[str, list[int]] = {}
    for at, x in truth.items():
        if x["kind"] == "pii":
            tally = recall.setdefault(str(x["label"]), [0, 0])
            tally[0] += at in reported
            tally[1] += 1
    for label, (hit, total) in sorted(recall.items()):
        print(f"{label:24} {hit:6} {total:6} {hit / total:7.3f}")
    print(f"\n{'reported type':24} {'right':>6} {'false':>6} {'precision':>9}")
    per_type: dict[str, list[int]] = {}
    for at, kinds in reported.items():
        label = truth.get(at)
        for kind in kinds:
            tally = per_type.setdefault(kind, [0, 0])
            if label is not None and label["kind"] == "pii":
                tally[0] += 1
            else:
                tally[1] += 1
    for kind, (right, false) in sorted(per_type.items()):
        print(f"{kind:24} {right:6} {false:6} {right / (right + false):9.3f}")
    alarms = Counter(str(truth[at]["label"]) for at in reported if at in truth and truth[at]["kind"] == "negative")
    print(f"\nfalse alarms per negative category: {dict(alarms.most_common()) or 'none'}")
    tp = len(pii_lines & set(reported))
    fp = len(set(reported) - pii_lines)
    result = {"recall": tp / len(pii_lines), "precision": tp / (tp + fp) if tp + fp else 1.0}
    print(f"\nPII recall {result['recall']:.3f}  precision {result['precision']:.3f}  (tp {tp}, fp {fp}, "
          f"fn {len(pii_lines) - tp}; {len(corpus_pii.KINDS) + 6} labeled types)")  # fmt: skip
    return result


def real_tree(root: Path) -> Counter[str]:
    types: Counter[str] = Counter()
    started = time.perf_counter()
    files = 0
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix in (".pyc", ".so", ".png", ".gif", ".jpg", ".whl", ".zip", ".gz"):
            continue
        if path.stat().st_size > 2_000_000:
            continue
        text = decode(path.read_bytes())
        if text is None:
            continue
        files += 1
        types.update(f.type for f in scan_text(text, path.name, secrets=False))
    seconds = time.perf_counter() - started
    print(f"## PII findings on unlabeled real code: {root} ({files} files, {seconds:.1f} s)")
    print(f"  {sum(types.values())} findings: {dict(types.most_common())}")
    return types


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_pii")
    parser.add_argument("--files", type=int, default=600)
    parser.add_argument("--density", type=float, default=3.0)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--real-tree", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    corpus(args.files, args.density, args.seed)
    for tree in args.real_tree:
        real_tree(tree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
