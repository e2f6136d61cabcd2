from __future__ import annotations

import pytest

from attune import scan
from attune.memory.classify import classify
from tests.helpers import EMAIL


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Parameterise every SQL query; never build one with string formatting.", "PUBLIC"),
        ("Hash passwords with argon2id.", "PUBLIC"),
        ("The staging API lives on api.staging.internal behind the VPN.", "INTERNAL"),
        ("Reach the metrics box at 10.2.3.4 from CI only.", "INTERNAL"),
        ("Internal-only runbook for the release train.", "INTERNAL"),
        ("CONFIDENTIAL: the partner contract ends in March.", "SENSITIVE"),
        ("The upload endpoint has an unpatched path traversal.", "SENSITIVE"),
        ("The 2026 incident exposed customer billing records.", "SENSITIVE"),
        (f"Ask {EMAIL} before touching the exporter.", "SENSITIVE"),
    ],
)
def test_levels(text, level):
    assert classify(text, scan.scan_text(text)).level == level


def test_a_declared_level_is_a_floor():
    assert classify("Hash passwords with argon2id.", declared="INTERNAL").level == "INTERNAL"
    assert classify(f"mail {EMAIL}", scan.scan_text(f"mail {EMAIL}"), declared="PUBLIC").level == "SENSITIVE"


def test_reasons_say_why():
    verdict = classify("Unpatched bug in the parser.")
    assert verdict.reasons == ("describes an unfixed vulnerability",)
