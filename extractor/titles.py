"""The job title inside a vacancy's title line: "Vacature: Lasser (m/v/x) 40 uur" → "Lasser".

Vacancy titles carry decorations that no occupation label has: a gender tag ("(m/v/x)",
"(m/f/d)"), hours and contract ("32-40 uur", "0,8 fte", "fulltime"), a lead-in ("Vacature:",
"Wij zoeken een", "We are hiring") and a firm or place ("- Bouwbedrijf Jansen", "| Tilburg",
"in Utrecht", "regio Utrecht"). Linked as written they pull the title away from its occupation:
"Lasser" is an ESCO label, "Lasser (m/v/x) 40 uur" reached no occupation at all.
:func:`job_title` finds the title proper as a span of the line, so that evidence still points
at the title's words in the document.

A firm or place is told from the title by Dutch capitalisation: Dutch writes trades and subjects
in lower case, so a capitalised word after "in" or a dash is a name ("Lasser in Utrecht",
"Monteur - Installatiebedrijf De Vonk"), a lower-case one is part of the title ("Medewerker in
de bediening", "Monteur - elektrotechniek"). English title case gives no such signal
("Lecturer in Accounting", "IT Manager - Software"), so in English only unambiguous marks are
cut: a pipe, "based in ...", a firm's legal form after a dash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GENDER = (
    r"(?<!\w)(?:[mvhwfx]\s*/\s*[mvhwfxd](?:\s*/\s*[mvhwfxd]){0,2}"
    r"|(?:man|vrouw)\s*/\s*(?:man|vrouw)|all[e]? genders)(?!\w)"
)
_NUMBER = r"\d{1,2}(?:[.,]\d)?"
_HOURS = (
    rf"(?<!\w)(?:(?:max(?:imaal)?\.?|min(?:imaal)?\.?|tot|ca\.?|up to)\s*)?"
    rf"{_NUMBER}(?:\s*(?:-|–|tot|to|à|/)\s*{_NUMBER})?\s*(?:uur|uren|u|hours?|hrs?|h)(?!\w)"
    r"(?:\s*(?:per|p\.|p/|p|/)\s*(?:week|wk|w)(?!\w)\.?)?"
)
_CONTRACT = (
    r"(?<!\w)(?:(?:full|part)[\s-]?time|voltijds?|deeltijds?"
    r"|(?:full|part)-(?=\s*(?:of|or|/)\s*(?:full|part)))(?!\w)"
)
_FTE = r"(?<!\w)\d(?:[.,]\d{1,2})?(?:\s*(?:-|–|tot|/)\s*\d(?:[.,]\d{1,2})?)?\s*fte(?!\w)"
_ONE = rf"(?:{_GENDER}|{_HOURS}|{_FTE}|{_CONTRACT})"
_RUN = rf"{_ONE}(?:\s*(?:(?:[,/&+]|\b(?:of|or|en|and)\b)\s*)?{_ONE})*"
# a run of decorations, with the brackets around it when it has them: "(fulltime, 40 uur)"
_DECORATIONS = re.compile(rf"[(\[]\s*{_RUN}\s*[)\]]|{_RUN}", re.IGNORECASE)

_LEAD_IN = re.compile(
    r"\s*(?:"
    r"(?:vacature|gezocht|wanted)\b\s*[:|–—-]?"
    r"|(?:vacancy|job|now\s+hiring|hiring|functie|position)\s*[:|–—-]"
    r"|(?:wij|we)\s+zoeken(?:\s+per\s+direct)?(?:\s+een)?\b\s*:?"
    r"|(?:wij|we)\s+zijn\s+(?:per\s+direct\s+)?op\s+zoek\s+naar(?:\s+een)?\b\s*:?"
    r"|(?:we\s+are|we['’]re)\s+(?:hiring|looking\s+for)(?:\s+an?\b)?\s*:?"
    r")\s*",
    re.IGNORECASE,
)
_TRAILING_CALL = re.compile(r"\s+(?:gezocht|wanted|needed)\W*$", re.IGNORECASE)
_PIPE = re.compile(r"\s*\|\s*")
_DASH = re.compile(r"\s[-–—]\s|\s[–—]|[–—]\s")
_NEXT_CHAR = re.compile(r"\s*(\S?)")
_FIRM = re.compile(r"\b(?:B\.?V\.?|N\.?V\.?|GmbH|Ltd|Inc|LLC|VOF)(?!\w)", re.IGNORECASE)

# a capitalised place or firm: "Utrecht", "Den Haag", "'s-Hertogenbosch", "Bergen op Zoom"
_NAME = (
    r"(?:['’]s-)?[A-ZÀ-Þ][\w'’.&-]*"
    r"(?:\s+(?:[A-ZÀ-Þ][\w'’.&-]*|aan|op|de|den|der|van|en|e\.o\.|eo))*"
)
# "regio Utrecht", "in de omgeving van Zwolle", "regio zuid"; not "Adviseur omgeving en milieu"
_AREA = r"(?:['’]?[A-ZÀ-Þ]|(?i:noord|oost|zuid|west|midden))"
_PLACE_NL = re.compile(
    r"\s+(?:(?i:(?:(?:in|te)\s+de\s+)?(?:regio|omgeving)(?:\s+van)?)"
    rf"\s+{_AREA}.*|(?i:in|te|bij|rondom|nabij)\s+(?P<name>{_NAME}))\W*$"
)
_PLACE_EN = re.compile(r"\s*\(?\s*\bbased\s+in\s+[^()]*\)?\W*$", re.IGNORECASE)
# capitalised words after "in" that are part of the title: "Monteur in Opleiding"
_NOT_NAMES = frozenset({"opleiding", "training", "dienst", "loondienst", "de", "het", "een"})
_EDGE = " \t,;:|/!•·*-–—"


@dataclass(frozen=True)
class JobTitle:
    """The job title of a title line: ``line[start:end]`` holds it; ``text`` is that span
    with any decoration inside it removed and single spaces ("Monteur (40 uur) warmtepompen"
    → "Monteur warmtepompen")."""

    start: int
    end: int
    text: str


def job_title(line: str, lang: str = "nl") -> JobTitle:
    """The job title in a vacancy title line, without gender tag, hours, contract, lead-in,
    firm or place.

    Args:
        line: one title line, e.g. "Vacature: Servicemonteur warmtepompen (m/v/x) 32-40 uur".
        lang: "nl" or "en", the language of the vacancy; a place or firm after "in" or a dash
            is only recognised by its capital letter in Dutch (see the module docstring).

    Returns:
        The span and text of the title; the whole stripped line when nothing would be left
        ("Vacature", "40 uur") or there is nothing to strip.
    """
    masked = _DECORATIONS.sub(lambda m: " " * len(m.group()), line)
    lo, hi = 0, len(masked)
    while True:
        before = lo, hi
        lo, hi = _strip_edges(masked, lo, hi)
        lead = _LEAD_IN.match(masked, lo, hi)
        if lead and re.search(r"\w", masked[lead.end() : hi]):  # "Vacature" alone stays
            lo = lead.end()
        hi = _cut_names(masked, lo, hi, lang)
        if call := _TRAILING_CALL.search(masked[lo:hi]):
            hi = lo + call.start()
        lo, hi = _strip_edges(masked, lo, hi)
        if (lo, hi) == before:
            break
    if lo >= hi or not re.search(r"\w", masked[lo:hi]):
        lo = len(line) - len(line.lstrip())
        hi = len(line.rstrip())
        return JobTitle(lo, hi, " ".join(line[lo:hi].split()))
    return JobTitle(lo, hi, " ".join(masked[lo:hi].split()))


def _cut_names(masked: str, lo: int, hi: int, lang: str) -> int:
    """The new end of the title once a firm or place after it is cut off."""
    text = masked[lo:hi]
    pipe = _PIPE.search(text)
    if pipe and re.search(r"\w", text[: pipe.start()]):
        return lo + pipe.start()
    firm = max((m.start() for m in _FIRM.finditer(text)), default=-1)
    first_word = re.search(r"\w", text)
    for dash in _DASH.finditer(text):
        if not first_word or first_word.start() > dash.start():
            continue  # nothing before the dash yet
        after = _NEXT_CHAR.match(text, dash.end()).group(1)
        if firm > dash.start() or (lang == "nl" and after.isupper()):
            return lo + dash.start()
    place = (_PLACE_NL if lang == "nl" else _PLACE_EN).search(text)
    if place and re.search(r"\w", text[: place.start()]):
        name = place.groupdict().get("name")
        if not name or name.split()[0].lower() not in _NOT_NAMES:
            return lo + place.start()
    return hi


def _strip_edges(masked: str, lo: int, hi: int) -> tuple[int, int]:
    """Narrow ``[lo, hi)`` past separators and spaces at both ends, and past a bracket left
    open at the end or closed at the start."""
    while lo < hi and (masked[lo] in _EDGE or masked[lo] in ")]"):
        lo += 1
    while hi > lo and (masked[hi - 1] in _EDGE or masked[hi - 1] in "(["):
        hi -= 1
    if hi > lo and masked[hi - 1] in ")]":
        opener = "(" if masked[hi - 1] == ")" else "["
        if opener not in masked[lo:hi]:
            return _strip_edges(masked, lo, hi - 1)
    opened = masked.rfind("(", lo, hi)
    if opened > lo and ")" not in masked[opened:hi]:  # "Van sales (GDL needed)" less "needed)"
        return _strip_edges(masked, lo, opened)
    return lo, hi
