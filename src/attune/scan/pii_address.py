"""Street addresses in US, UK and continental European forms (issue 12).

A house number and a street name ending in a street word (Baker Street, Hauptstraße, rue de la Paix) is
reported where the line names it (address, ship to, billing, home); anywhere else it needs what a postal
address ends with: a US state and ZIP code or a UK postcode, or a European
postcode and town.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from attune.scan.findings import Hit

# Words that end a street name; checked on the lowered line before any regex runs.
STREET_WORDS = (
    "street", "avenue", "road", "lane", "drive", "boulevard", "blvd", "court", "terrace", "crescent", "close",
    "gardens", "parkway", "highway", "square", "place", "way", " st", " st.", " ave", " rd", " ln", " dr", "p.o. box",
    "po box", "straße", "strasse", "str.", "weg", "gasse", "platz", "allee", "rue ", "calle", "via ", "viale",
    "piazza", "corso", "avenida", "straat", "laan", "plein", "gracht",
)  # fmt: skip

# The USPS street suffixes (Publication 28) that name streets in practice, and the British ones.
_SUFFIX = (
    r"Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Circle|Cir"
    r"|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Plaza|Loop|Alley|Crescent|Close|Gardens|Grove|Mews|Row|Walk"
    r"|Hill|Hills|Park|Green|Rise|Vale|View|Views|Broadway|Bypass|Branch|Bridge|Brook|Brooks|Burg|Burgs|Camp"
    r"|Canyon|Cape|Causeway|Center|Centers|Cliff|Cliffs|Club|Common|Commons|Corner|Corners|Course|Courts|Cove"
    r"|Coves|Creek|Crest|Crossing|Crossroad|Curve|Dale|Dam|Divide|Drives|Estate|Estates|Expressway|Expy"
    r"|Extension|Falls|Ferry|Field|Fields|Flat|Flats|Ford|Fords|Forest|Forge|Forges|Fork|Forks|Fort|Freeway"
    r"|Garden|Gateway|Glen|Glens|Greens|Groves|Harbor|Harbors|Haven|Heights|Hollow|Inlet|Island|Islands|Isle"
    r"|Junction|Junctions|Key|Keys|Knoll|Knolls|Lake|Lakes|Landing|Light|Lights|Loaf|Lock|Locks|Lodge|Mall"
    r"|Manor|Manors|Meadow|Meadows|Mill|Mills|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval"
    r"|Overpass|Parks|Parkways|Pass|Passage|Path|Pike|Pine|Pines|Plain|Plains|Point|Points|Port|Ports|Prairie"
    r"|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridge|Ridges|River|Roads|Route|Run|Shoal|Shoals|Shore|Shores|Skyway"
    r"|Spring|Springs|Spur|Spurs|Squares|Station|Stravenue|Stream|Streets|Summit|Throughway|Trace|Track"
    r"|Trafficway|Tunnel|Turnpike|Underpass|Union|Unions|Valley|Valleys|Viaduct|Village|Villages|Ville|Vista"
    r"|Walks|Wall|Ways|Well|Wells"
)
# Addresses printed as placeholders: Anytown, 123 Main Street, the Simpsons' house (issue 12).
_FICTION = re.compile(
    r"(?i)\bany ?(?:town|street|city)\b|\b(?:1|12|123|1234|100)\s+main\s+st|742 evergreen terrace|\bexample\b"
)
_UNIT = r"(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm)\.? ?#?[\w-]+|,? #\d+\w?)?"
_NAME = r"(?:[A-Z][A-Za-z'-]*\.? |[0-9]+(?:st|nd|rd|th) ){1,4}"
_US_UK = (
    rf"\d{{1,6}}[A-Za-z]?(?:-\d{{1,5}})?,? (?:[NSEW]\.? |North |South |East |West )?{_NAME}(?:{_SUFFIX})\b\.?"
    rf"(?: (?:N|S|E|W|NE|NW|SE|SW)\b\.?)?{_UNIT}"
)
_L = r"[^\W\d_]"  # a letter in any script
_WORD = rf"{_L}(?:{_L}|['.-])*"
_EUROPE = (
    rf"{_WORD}(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|straat|laan|plein|gracht"
    rf"|kade|dijk|gatan|vägen|vej|gade) \d{{1,4}}[a-z]?"
    rf"|\d{{1,4}}(?: ?bis| ?ter)?,? (?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route) "
    rf"(?:(?:de|du|des|la|le|l'|d')\s?)*{_WORD}(?: {_WORD}){{0,3}}"
    rf"|(?:Calle|C/|Avenida|Avda\.|Plaza|Paseo|Via|Viale|Piazza|Corso|Rua) (?:(?:de|del|la|dei|della|di) )*"
    rf"{_WORD}(?: {_WORD}){{0,3}},? (?:n[º°.] ?)?\d{{1,4}}"
)
_PO_BOX = r"P\.? ?O\.? Box \d{1,6}"
_STREET = re.compile(rf"(?<![\w-])(?:{_US_UK}|{_EUROPE}|{_PO_BOX})")
_STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
).split()
_TAIL = re.compile(
    rf"(?:,?\s{_WORD}(?: {_WORD}){{0,3}})?,?\s(?:(?P<state>[A-Z]{{2}}),? \d{{5}}(?:-\d{{4}})?"
    r"|(?P<uk>[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})|(?P<eu>(?:[A-Z]{1,2}-)?\d{4,5}(?: [A-Z]{2})?) "
    rf"{_WORD})(?![\w-])"
)


def find(text: str, lo: int, hi: int, *, named: bool) -> Iterator[Hit]:
    """Addresses in text[lo:hi]; `named` says the line calls it an address, so no postal tail is needed."""
    for m in _STREET.finditer(text, lo, hi):
        tail = _TAIL.match(text, m.end(), min(len(text), m.end() + 80))  # the town may be on the next line
        if tail and tail.group("state") and tail.group("state") not in _STATES:
            tail = None
        end = tail.end() if tail else m.end()
        if _OFFICE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "having an office at 160 Saratoga Avenue": an organisation's address, in licence texts
        if (tail or named) and not _FICTION.search(text, m.start(), end):
            yield Hit("pii", "address", m.start(), end, text[m.start() : end])


_OFFICE = re.compile(
    r"(?i)(?:offices?|headquarter(?:s|ed)?|place of business)(?: (?:is |are )?(?:at|in|located at))?\s*$"
)
# Where a postal address ends: a US state and ZIP code, or a UK postcode. Lines holding one are read too.
POSTAL = re.compile(r"\b[A-Z]{2},? \d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}\b")
