"""The benchmark's labeled corpus and scorer, and the engine held to the issue's targets on a fresh sample."""

from __future__ import annotations

import json

from benchmarks import scan_corpus

from attune.scan import scan_text


def test_labels_point_at_the_lines_that_hold_the_values(tmp_path):
    labels = scan_corpus.generate(tmp_path, files=40, seed=5)
    assert {x["kind"] for x in labels} == {"secret", "pii", "negative"}
    for label in labels:
        line = (tmp_path / label["file"]).read_text().split("\n")[label["line"] - 1]
        assert line.strip(), label


def test_the_scorer_counts_lines_per_kind_and_false_alarms_per_category():
    labels = [
        {"file": "a.py", "line": 1, "kind": "secret", "label": "github-token"},
        {"file": "a.py", "line": 2, "kind": "pii", "label": "email"},
        {"file": "a.py", "line": 3, "kind": "negative", "label": "uuid"},
    ]
    result = scan_corpus.score(labels, [("a.py", 1, "secret"), ("a.py", 3, "secret"), ("b.py", 9, "pii")])
    assert result["secret"] == (1.0, 0.5, 1, 1, 0)
    assert result["pii"] == (0.0, 0.0, 0, 1, 1)
    assert result["per_type"] == {"secret:github-token": [1, 1], "pii:email": [0, 1], "negative:uuid": [1, 1]}
    assert result["unlabelled_alarms"] == 1


def test_the_engine_meets_the_targets_on_a_sample_the_benchmark_does_not_use(tmp_path):
    labels = scan_corpus.generate(tmp_path, files=150, seed=99)
    findings = [
        (f.file, f.line, f.kind)
        for path in sorted(p for p in tmp_path.rglob("*") if p.is_file())
        for f in scan_text(path.read_text(), path.relative_to(tmp_path).as_posix())
    ]
    result = scan_corpus.score(labels, findings)
    report = json.dumps(
        {k: v for k, v in result["per_type"].items() if v[0] != (0 if k.startswith("negative") else v[1])}
    )
    for kind in ("secret", "pii"):
        assert result[kind].recall >= 0.95, report
        assert result[kind].precision >= 0.95, report


def test_every_syntax_has_positives_and_hard_negatives_and_the_engine_finds_them(tmp_path):
    from benchmarks import corpus_syntaxes

    labels = scan_corpus.generate(tmp_path, files=100, seed=12)
    syntax_labels = [x for x in labels if str(x["label"]).startswith("syntax/")]
    for kind in ("secret", "negative"):
        assert {x["label"] for x in syntax_labels if x["kind"] == kind} == {
            f"syntax/{s}" for s in corpus_syntaxes.SYNTAXES
        }
    files = {str(x["file"]) for x in syntax_labels}
    findings = [
        (f.file, f.line, f.kind) for name in sorted(files) for f in scan_text((tmp_path / name).read_text(), name)
    ]
    rows = scan_corpus.per_syntax(scan_corpus.score(syntax_labels, findings))
    assert len(rows) >= 40
    assert sum(recall for recall, _ in rows.values()) / len(rows) >= 0.95, rows
    assert all(precision == 1.0 for _, precision in rows.values()), rows


def test_per_syntax_scores_positives_against_their_own_negatives():
    result = {"per_type": {"secret:syntax/sql": [3, 4], "negative:syntax/sql": [1, 5], "secret:github-token": [1, 1]}}
    assert scan_corpus.per_syntax(result) == {"sql": (0.75, 0.75)}
