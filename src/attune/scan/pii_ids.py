"""National identity, tax and insurance numbers by country: their written forms and validity rules (issue 12).

A format whose shape and check digit are distinctive enough (a codice fiscale, a dotted CPF, a spaced UK
National Insurance number) is reported wherever it stands. A bare run of nine or eleven digits passes some
check digit one time in ten, so those forms are reported only where the line names the number (`words`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from attune.scan import pii_checks as check
from attune.scan.noise import Regex, ascii_regex


class IdFormat(NamedTuple):
    type: str
    pattern: Regex
    valid: Callable[[str], bool]
    words: str = ""  # a regex on the line, lowered and split into words; "" means the format alone suffices


_BEFORE = r"(?<![A-Za-z0-9.+/-])(?<!\d:)"  # not in ARNs (a:1:...)
_AFTER = r"(?![A-Za-z0-9]|[./-][A-Za-z0-9])"


def _id(type_: str, body: str, valid: Callable[[str], bool], words: str = "") -> IdFormat:
    bounded = rf"{_BEFORE}(?:{body}){_AFTER}"
    return IdFormat(type_, ascii_regex(bounded), valid, words)


def _yes(_: str) -> bool:
    return True


# Documented examples printed by the issuers and in every tutorial: not anyone's number.
DOCUMENTED = frozenset(
    (
        "AB123456C", "QQ123456C", "RSSMRA85T10A562S", "12345678Z", "X1234567L", "S1234567D", "111222333",
        "123456782", "046454286", "86095742719", "7569217076985", "11010519491231002X", "8001015009087",
        "52998224725", "12345678909", "ABCPE1234F", "9434765919", "1234567T", "123456789", "10000000146",
        "1234567893",
    )
)  # fmt: skip

FREE = (
    _id("uk-nino", r"[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]", check.uk_nino),
    _id("it-codice-fiscale", r"[A-Z]{6}[\dLMNP-V]{2}[ABCDEHLMPRST][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z]",
        check.it_codice_fiscale),
    _id("es-nie", r"[XYZ]-?\d{7}-?[A-Z]", check.es_dni),
    _id("es-dni", r"\d{8}-?[A-Z]", check.es_dni),
    _id("br-cpf", r"\d{3}\.\d{3}\.\d{3}-\d{2}", check.br_cpf),
    _id("fr-insee", r"[12378] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}", check.fr_insee),
    _id("in-aadhaar", r"[2-9]\d{3}([ -])\d{4}\1\d{4}", check.in_aadhaar),
    _id("in-pan", r"[A-Z]{3}P[A-Z]\d{4}[A-Z]", _yes),
    _id("ch-ahv", r"756\.\d{4}\.\d{4}\.\d{2}", check.ch_ahv),
    _id("se-personnummer", r"(?:19|20)?\d{6}[-+]\d{4}", check.se_personnummer),
    _id("fi-hetu", r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]", check.fi_hetu),
    _id("be-nrn", r"\d{2}\.\d{2}\.\d{2}-\d{3}\.\d{2}", check.be_nrn),
    _id("cn-resident-id", r"[1-8]\d{16}[\dX]", check.cn_resident_id),
    _id("kr-rrn", r"\d{6}-[1-8]\d{6}", check.kr_rrn),
    _id("sg-nric", r"[STFG]\d{7}[A-Z]", check.sg_nric),
    _id("mx-curp", r"[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d", check.mx_curp),
    _id("cl-rut", r"\d{1,2}\.\d{3}\.\d{3}-[\dK]", check.cl_rut),
    _id("ar-cuil", r"2[0347]-\d{8}-\d", check.ar_cuil),
    _id("us-itin", r"9\d{2}-\d{2}-\d{4}", check.itin),
    # The DVLA's driving licence number: surname, birth date (month + 5 for women), initials, check characters.
    _id("drivers-licence", r"[A-Z9]{5}\d[0156]\d(?:0[1-9]|[12]\d|3[01])\d[A-Z9]{2}\d[A-Z]{2}(?: ?\d{2})?", _yes),
)  # fmt: skip


@functools.cache
def any_free() -> re.Pattern[str]:
    """Where any of FREE could match: each format's whole pattern in a lookahead, its back-references renumbered.

    A window without such a place is read by none of them. 1 MB of base64 seeds about 6,000 windows (a capital and
    two digits), and reading each with 20 patterns cost 120 ms; one search each finds the few worth it (issue 15).
    """
    parts: list[str] = []
    groups = 0
    for fmt in FREE:
        body = fmt.pattern.pattern[len(_BEFORE) : -len(_AFTER)]
        parts.append(re.sub(r"\\([1-9])", functools.partial(_renumbered, shift=groups), body))
        groups += fmt.pattern.groups
    # The shared boundary first, once: in base64 it fails at almost every offset, before any body is tried.
    return re.compile(_BEFORE + "(?=(?:" + "|".join(parts) + ")" + _AFTER + ")", re.ASCII)


def _renumbered(backref: re.Match[str], *, shift: int) -> str:
    return "\\" + str(int(backref.group(1)) + shift)


_N9 = r"\d{3}[ .-]?\d{3}[ .-]?\d{3}"
NAMED = (
    _id("ssn", r"\d{3}([ .]?)\d{2}\1\d{4}", check.ssn, r"\bssn|social ?security|\bss ?(?:no|num|#)"),
    _id("us-itin", r"9\d{2}([ .]?)\d{2}\1\d{4}", check.itin, r"\bitin\b|taxpayer"),
    _id("ca-sin", _N9, check.ca_sin, r"\bsin\b|social insurance|\bnas\b|assurance sociale"),
    _id("de-steuer-id", r"\d{2} ?\d{3} ?\d{3} ?\d{3}", check.de_steuer_id,
        r"steuer|\bidnr|identifikationsnummer|\btax ?id|\btin\b"),
    _id("fr-insee", r"[12378] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}", check.fr_insee,
        r"insee|\bnir\b|s[ée]curit[ée] sociale|\bs[ée]cu\b|social ?security"),
    _id("nl-bsn", r"\d{9}|\d{4}\.\d{2}\.\d{3}", check.nl_bsn, r"\bbsn\b|burgerservice|\bsofi"),
    _id("in-aadhaar", r"[2-9]\d{11}", check.in_aadhaar, r"aadha?ar|uidai|\buid\b"),
    _id("br-cpf", r"\d{11}", check.br_cpf, r"\bcpf\b"),
    _id("au-tfn", r"\d{3} ?\d{3} ?\d{2,3}", check.au_tfn, r"\btfn\b|tax file"),
    _id("au-medicare", r"[2-6]\d{3} ?\d{5} ?\d(?:[ /-]?\d)?", check.au_medicare, r"medicare"),
    _id("uk-nhs", r"\d{3}([ -]?)\d{3}\1\d{4}", check.uk_nhs, r"\bnhs\b"),
    _id("pl-pesel", r"\d{11}", check.pl_pesel, r"pesel"),
    _id("no-fnr", r"\d{6} ?\d{5}", check.no_fnr, r"f[øo]dselsnummer|\bfnr\b|personnummer"),
    _id("dk-cpr", r"\d{6}-?\d{4}", check.dk_cpr, r"\bcpr\b"),
    _id("se-personnummer", r"(?:19|20)?\d{10}", check.se_personnummer, r"personnummer"),
    _id("pt-nif", r"\d{9}", check.pt_nif, r"\bnif\b|contribuinte"),
    _id("ie-pps", r"\d{7}[A-W][A-IW]?", check.ie_pps, r"\bppsn?\b|personal public service"),
    _id("il-id", r"\d{9}", check.il_id, r"teudat|zehut|israeli id"),
    _id("tr-tckn", r"[1-9]\d{10}", check.tr_tckn, r"kimlik|\btckn\b|\btc no\b"),
    _id("jp-my-number", r"\d{4} ?\d{4} ?\d{4}", check.jp_my_number, r"my ?number|kojin|マイナンバー|個人番号"),
    _id("at-svnr", r"\d{4} ?\d{6}", check.at_svnr, r"\bsvnr\b|versicherungsnummer|sozialversicherung"),
    _id("ro-cnp", r"[1-8]\d{12}", check.ro_cnp, r"\bcnp\b"),
    _id("ch-ahv", r"756\d{10}", check.ch_ahv, r"\bahv\b|\bavs\b"),
    _id("za-id", r"\d{13}", check.za_id, r"\bid ?(?:number|no)\b|identity|south african|\brsa id"),
    _id("kr-rrn", r"\d{6}-?[1-8]\d{6}", check.kr_rrn, r"resident registration|\brrn\b|주민등록번호"),
    _id("us-bank-routing", r"\d{9}", check.us_aba, r"routing|\baba\b|\brtn\b"),
    _id("us-npi", r"[12]\d{9}", check.us_npi, r"\bnpi\b|provider id"),
    _id("bank-account", r"\d{8,17}|\d{2,6}(?:[ -]\d{2,8}){1,3}", check.account,
        r"(?:bank|checking|savings) ?(?:account|acct)|\bacct ?(?:no|num|number|#)?\b|account ?(?:no|num|number|#)\b"),
)  # fmt: skip
# Formats with a check digit: what a line that names no country's number is tried against.
CHECKED = tuple(fmt for fmt in NAMED if fmt.type not in ("ssn", "dk-cpr", "kr-rrn", "bank-account"))
# A line that names a national number without saying which country's: every checked format is tried.
GENERIC = ascii_regex(
    r"national ?(?:id|identity|insurance|number)|\bid ?(?:number|no|card)\b|identity|personal ?(?:id|number|code)"
    r"|citizen ?id|\btax ?(?:id|number|no|code)\b|insurance ?(?:number|no)\b|\bnin[o]?\b|\bnino\b"
)
