"""Curated Dutch alias table: jargon, certificates, acronyms and tools mapped to ESCO skills.

ESCO labels miss much of what Dutch CVs and vacancies actually say ("VCA", "BHV",
"heftruckcertificaat", "Exact Online", "rijbewijs CE"). The bundled table
``extractor/data/aliases_nl.csv`` maps such surface forms to ESCO skill URIs, one row per
(alias, uri). Ambiguous aliases ("C", "Word", "Exact") carry ``requires_context`` and a list
of context words; :func:`alias_fires` decides whether such an alias counts in a sentence.

Typical use::

    aliases = load_aliases()                      # validated rows, bundled CSV
    problems = validate_aliases(aliases, taxonomy) # [] when every URI is a known skill
    [a for a in aliases if a.alias == "Word" and alias_fires(a, sentence)]
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from taxonomy import Taxonomy, normalise_label

DEFAULT_ALIAS_PATH = Path(__file__).parent / "data" / "aliases_nl.csv"
DEFAULT_BLOCK_PATH = Path(__file__).parent / "data" / "label_blocks.csv"

COLUMNS = (
    "alias",
    "esco_uri",
    "lang",
    "kind",
    "requires_context",
    "context_words",
    "note",
)
AliasKind = Literal["certificate", "acronym", "tool", "jargon", "language", "soft"]
KINDS: frozenset[str] = frozenset(get_args(AliasKind))
LANGS: frozenset[str] = frozenset({"nl", "en", "any"})
_BOOLEANS = {"true": True, "false": False}
_SKILL_URI = re.compile(
    r"^http://data\.europa\.eu/esco/skill/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


class AliasFileError(ValueError):
    """A row of an alias CSV file is malformed; names the file and the 1-based line."""

    def __init__(self, path: object, line: int, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{self.path}, line {line}: {problem}")


@dataclass(frozen=True)
class Alias:
    """One (surface form, ESCO skill) pair from the alias table.

    ``context_words`` is empty unless ``requires_context``; then at least one of them must
    occur in the same sentence for the alias to count (see :func:`alias_fires`).
    """

    alias: str
    uri: str
    lang: str
    kind: AliasKind
    requires_context: bool
    context_words: tuple[str, ...]
    note: str


def load_aliases(path: str | Path | None = None) -> list[Alias]:
    """Read and validate an alias CSV (default: the bundled ``aliases_nl.csv``).

    Returns the rows in file order. Raises :class:`AliasFileError` with the file and line
    number for a missing column, an empty alias, a malformed ESCO skill URI, an unknown
    ``lang``/``kind``, a boolean other than ``true``/``false``, a context-requiring alias
    without context words, a single-letter alias without ``requires_context``, or a
    duplicate (alias, uri) row. Raises :class:`FileNotFoundError` if the file is missing.
    """
    csv_path = Path(path) if path is not None else DEFAULT_ALIAS_PATH
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:  # tolerate an Excel BOM
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise AliasFileError(
                csv_path, 1, f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"
            )
        aliases: list[Alias] = []
        seen: dict[tuple[str, str], int] = {}
        for row in reader:
            line = reader.line_num
            alias = _parse_row(row, csv_path, line)
            key = (alias.alias.casefold(), alias.uri)
            if key in seen:
                raise AliasFileError(
                    csv_path,
                    line,
                    f"duplicate row for {alias.alias!r} -> {alias.uri} (first on line {seen[key]})",
                )
            seen[key] = line
            aliases.append(alias)
    return aliases


def _parse_row(row: dict[str, str | None], path: Path, line: int) -> Alias:
    if None in row:  # csv puts surplus fields under the key None
        raise AliasFileError(path, line, "too many fields; quote values that contain commas")
    values = {k: (row.get(k) or "").strip() for k in COLUMNS}
    alias = values["alias"]
    if not alias:
        raise AliasFileError(path, line, "empty alias")
    uri = values["esco_uri"]
    if not _SKILL_URI.match(uri):
        raise AliasFileError(
            path,
            line,
            f"{uri!r} is not an ESCO skill URI (expected http://data.europa.eu/esco/skill/<uuid>)",
        )
    if values["lang"] not in LANGS:
        raise AliasFileError(
            path, line, f"lang {values['lang']!r} is not one of {', '.join(sorted(LANGS))}"
        )
    if values["kind"] not in KINDS:
        raise AliasFileError(
            path, line, f"kind {values['kind']!r} is not one of {', '.join(sorted(KINDS))}"
        )
    flag = values["requires_context"].lower()
    if flag not in _BOOLEANS:
        raise AliasFileError(
            path, line, f"requires_context {values['requires_context']!r} must be true or false"
        )
    requires_context = _BOOLEANS[flag]
    context_words = tuple(w.strip() for w in values["context_words"].split("|") if w.strip())
    if requires_context and not context_words:
        raise AliasFileError(
            path, line, f"{alias!r} requires context but has no context_words ('a|b|c')"
        )
    if not requires_context and context_words:
        raise AliasFileError(
            path, line, f"{alias!r} lists context_words but requires_context is false"
        )
    if len(alias) == 1 and not requires_context:
        raise AliasFileError(
            path, line, f"single-letter alias {alias!r} must set requires_context=true"
        )
    return Alias(
        alias=alias,
        uri=uri,
        lang=values["lang"],
        kind=values["kind"],  # type: ignore[arg-type]  # checked against KINDS above
        requires_context=requires_context,
        context_words=context_words,
        note=values["note"],
    )


def validate_aliases(aliases: list[Alias], taxonomy: Taxonomy) -> list[str]:
    """Problems with the aliases against a loaded taxonomy, one readable line each.

    Reports URIs the taxonomy does not know, URIs that are not skills (e.g. an
    occupation) and single-letter aliases that fire without context. An empty list means
    every alias is safe to use.
    """
    problems = []
    for a in aliases:
        if len(a.alias) == 1 and not a.requires_context:
            problems.append(f"{a.alias!r}: single-letter alias must require context")
        if a.uri not in taxonomy:
            problems.append(f"{a.alias!r}: {a.uri} is not in taxonomy {taxonomy.version}")
        elif (kind := taxonomy.get(a.uri).kind) != "skill":
            problems.append(f"{a.alias!r}: {a.uri} is a {kind}, not a skill")
    return problems


def alias_fires(alias: Alias, sentence: str) -> bool:
    """Whether ``alias`` may count as a skill mention in ``sentence``.

    Aliases without ``requires_context`` always fire. Otherwise one of the context words
    must occur in the sentence as a whole word (case- and diacritic-insensitive); the
    alias's own occurrences are masked first, so the alias is never its own context.
    This does not check that the alias itself occurs in the sentence.
    """
    if not alias.requires_context:
        return True
    text = _pattern(alias.alias).sub(" ", normalise_label(sentence))
    return any(_pattern(word).search(text) for word in alias.context_words)


@lru_cache(maxsize=4096)
def _pattern(word: str) -> re.Pattern[str]:
    # Lookarounds instead of \b so that "C++", "C#" and ".NET" match as whole words.
    return re.compile(rf"(?<!\w){re.escape(normalise_label(word))}(?!\w)")


@dataclass(frozen=True)
class LabelBlock:
    """A taxonomy label that must not match one concept exactly: an acronym whose everyday
    meaning is another ("ICT" is not the in-circuit test). The phrase can still link to the
    concept semantically, and the alias table can still name the intended concept."""

    label: str
    uri: str
    reason: str


def load_label_blocks(path: str | Path | None = None) -> list[LabelBlock]:
    """Read the reviewed list of (label, concept) pairs the lexicon leaves out (default: the
    bundled ``label_blocks.csv``: columns label, esco_uri, reason). Raises
    :class:`AliasFileError` with the line for a missing column, an empty label or reason, or a
    malformed ESCO skill URI."""
    csv_path = Path(path) if path is not None else DEFAULT_BLOCK_PATH
    columns = ("label", "esco_uri", "reason")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise AliasFileError(csv_path, 1, f"missing column(s) {', '.join(missing)}")
        blocks = []
        for row in reader:
            label, uri, reason = ((row.get(c) or "").strip() for c in columns)
            if not label or not reason:
                problem = "a block needs a label and a reason"
                raise AliasFileError(csv_path, reader.line_num, problem)
            if not _SKILL_URI.match(uri):
                raise AliasFileError(csv_path, reader.line_num, f"not an ESCO skill URI: {uri!r}")
            blocks.append(LabelBlock(label, uri, reason))
    return blocks
