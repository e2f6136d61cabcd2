"""The `.secrets.baseline` file of detect-secrets: known findings that are not reported again."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from attune.atomic import write_atomic
from attune.errors import UserError
from attune.scan.findings import Hit, LineIndex


class Entry(NamedTuple):
    file: str  # relative to the baseline's directory, forward slashes
    hit: Hit
    line: int


class Baseline(NamedTuple):
    path: Path
    results: dict[str, list[dict[str, object]]]
    known: frozenset[tuple[str, str]]  # (file, sha1 of the value); the type is not compared, so tools can differ


# Our fingerprint of the whole secret, kept beside detect-secrets' own when its plugin hashed only a part
# (its GitHub plugin hashes `ghp`): it ignores keys it does not know, so its hooks neither fail nor rewrite.
FULL = "empathy_hashed_secret"


def hashed(value: str) -> str:
    """detect-secrets' `hashed_secret`: the SHA-1 of the value, so the baseline never holds a secret."""
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324 - a fingerprint, as theirs


def key(path: Path, baseline_path: Path) -> str:
    try:
        return path.relative_to(baseline_path.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


def load(path: Path) -> Baseline:
    if not path.exists():
        return Baseline(path, {}, frozenset())
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}); fix it or rewrite it with --update-baseline"
        ) from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict) or not all(isinstance(v, list) for v in results.values()):
        raise UserError(f"{path}:1: no `results` mapping of file names to lists; is this a detect-secrets baseline?")
    known = set()
    for name, items in results.items():
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("hashed_secret"), str):
                raise UserError(
                    f"{path}:1: an entry for {name} has no `hashed_secret`; rewrite it with --update-baseline"
                )
            known.add((str(item.get("filename", name)), item["hashed_secret"]))
            if isinstance(item.get(FULL), str):
                known.add((str(item.get("filename", name)), str(item[FULL])))
    return Baseline(path, results, frozenset(known))


def is_known(baseline: Baseline, file: str, hit: Hit) -> bool:
    """Known only under a fingerprint of the whole value (issue 10).

    What detect-secrets' plugins captured counts when it holds the whole value; a fragment (`ghp`, which
    its GitHub plugin hashes for every classic token) would allowlist every other token of its kind.
    """
    return any((file, hashed(value)) in baseline.known for value in _whole(hit))


def known_by_fragment(baseline: Baseline, file: str, hit: Hit) -> bool:
    """Not known, but a baseline entry fingerprints a part of it: say why it is reported anyway."""
    return any((file, hashed(v)) in baseline.known for _, v in hit.also if v and hit.value not in v)


def _whole(hit: Hit) -> list[str]:
    return [hit.value, *(v for _, v in hit.also if hit.value in v and v != hit.value)]


def update(baseline: Baseline, scanned: Iterable[str], entries: Iterable[Entry], header: Mapping[str, object]) -> int:
    """Rewrite the baseline: fresh entries for the scanned files, earlier ones for files that still exist."""
    from attune.scan.secrets import OUR_TO_DS

    scanned = set(scanned)
    root = baseline.path.resolve().parent
    results = {
        name: items for name, items in baseline.results.items() if name not in scanned and (root / name).exists()
    }
    audited = {
        (name, str(item.get("type")), item.get("hashed_secret")): item
        for name, items in baseline.results.items()
        for item in items
    }
    for entry in entries:
        hit = entry.hit
        full = hashed(hit.value)
        # detect-secrets' entries for this value keep its own hooks content; when none of them hashes the whole
        # value, our fingerprint rides along on them, or stands as an entry of its own if it found nothing.
        theirs = dict.fromkeys((kind, hashed(value)) for kind, value in hit.also if value)
        whole = any(hashed(v) in {digest for _, digest in theirs} for v in _whole(hit))
        pairs = theirs or {(OUR_TO_DS.get(hit.type, hit.type), full): None}
        for kind, digest in pairs:
            item: dict[str, object] = {"type": kind, "filename": entry.file, "hashed_secret": digest}
            before = audited.get((entry.file, kind, digest), {})
            item["is_verified"] = before.get("is_verified", False)
            item["line_number"] = entry.line
            if "is_secret" in before:
                item["is_secret"] = before["is_secret"]
            if digest != full and not whole:
                item[FULL] = full
            results.setdefault(entry.file, []).append(item)
    for items in results.values():
        items.sort(key=lambda i: (int(str(i.get("line_number", 0))), str(i["hashed_secret"]), str(i["type"])))
    document = {
        **header,
        "results": dict(sorted(results.items())),
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_atomic(baseline.path, json.dumps(document, indent=2) + "\n")
    return sum(len(items) for items in results.values())


def entries_for(hits: Iterable[Hit], file: str, index: LineIndex) -> list[Entry]:
    return [Entry(file, hit, index.line(hit.start)) for hit in hits]
