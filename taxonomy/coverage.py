"""How well a taxonomy is labelled, per language: the numbers behind "100% Dutch labels".

The engine shows a concept's Dutch label when it has one and falls back to English otherwise
(:attr:`Concept.label_is_fallback`). :func:`coverage` counts, per language, the ESCO skills and
occupations that have a preferred label, alternative labels and a description, and how many
displayed labels fall back to English; :func:`fallback_concepts` lists those concepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from taxonomy.model import ESCO_ATTRIBUTION, Concept, ConceptKind
from taxonomy.taxonomy import Taxonomy

COVERAGE_KINDS: tuple[ConceptKind, ...] = ("skill", "occupation")
DISPLAY_RULE = "Dutch label where present, else English (marked as fallback)"


def _counts(concepts: list[Concept], lang: str) -> dict[str, int]:
    return {
        "total": len(concepts),
        "preferred": sum(bool(getattr(c, f"pref_{lang}")) for c in concepts),
        "alt": sum(bool(getattr(c, f"alt_{lang}")) for c in concepts),
        "description": sum(bool(getattr(c, f"description_{lang}")) for c in concepts),
    }


def coverage(taxonomy: Taxonomy, manifest: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Label coverage of the taxonomy's ESCO skills and occupations, JSON-ready::

        {"version": "esco-v1.1.1",
         "languages": {"nl": {"skill": {"total": 13896, "preferred": 6940, "alt": 931,
                                        "description": 2256}, "occupation": {...}},
                       "en": {...}, ...},
         "fallback": {"skill": 6956, "occupation": 0},
         "display": "Dutch label where present, else English (marked as fallback)"}

    Dutch and English are counted on the loaded concepts (what the engine shows). Other
    languages of an imported version are not shown by the engine; their counts come from the
    ``label_stats`` an import writes into the version's ``manifest`` (pass it to include them).
    CompetentNL concepts are not counted (they are Dutch by construction).
    """
    by_kind = {
        kind: [c for c in taxonomy.iter(kind) if c.vocabulary == "esco"] for kind in COVERAGE_KINDS
    }
    languages: dict[str, dict[str, dict[str, int]]] = {
        lang: {kind: _counts(concepts, lang) for kind, concepts in by_kind.items()}
        for lang in ("nl", "en")
    }
    stats = (manifest or {}).get("label_stats", {})
    for lang in sorted(stats):
        if lang in languages:
            continue
        languages[lang] = {}
        for kind in COVERAGE_KINDS:
            counts = stats[lang].get(kind, {})
            languages[lang][kind] = {
                "total": len(by_kind[kind]),
                **{k: int(counts.get(k, 0)) for k in ("preferred", "alt", "description")},
            }
    return {
        "version": taxonomy.version,
        "languages": languages,
        "fallback": {
            kind: sum(c.label_is_fallback for c in concepts) for kind, concepts in by_kind.items()
        },
        "display": DISPLAY_RULE,
    }


def fallback_concepts(
    taxonomy: Taxonomy, kind: ConceptKind = "skill", limit: int | None = None
) -> list[Concept]:
    """The ESCO concepts of ``kind`` whose displayed label is English, most used first (by the
    number of occupations that list a skill, or the number of skills an occupation lists), so the
    translations that matter most come first."""

    def weight(c: Concept) -> int:
        if kind == "skill":
            return len(taxonomy.occupations_of(c.uri))
        return len(taxonomy.occupation_skills.get(c.uri, ()))

    found = [c for c in taxonomy.iter(kind) if c.vocabulary == "esco" and c.label_is_fallback]
    found.sort(key=lambda c: (-weight(c), c.pref_en, c.uri))
    return found if limit is None else found[:limit]


def coverage_report(folder: Path | None = None, list_fallbacks: int = 0) -> dict[str, Any]:
    """:func:`coverage` of the taxonomy in ``folder`` (default: the one
    :func:`taxonomy.load_taxonomy` uses), with the ``list_fallbacks`` most used skills shown in
    English (``uri``, ``label_en``, ``occupations``) and the ESCO attribution. This is what
    ``vaardig taxonomy coverage --json`` prints; the service can return it as is.
    """
    from taxonomy.loader import load_taxonomy, read_manifest
    from taxonomy.versions import current_taxonomy_dir

    folder = Path(folder or current_taxonomy_dir())
    taxonomy = load_taxonomy(folder)
    report = coverage(taxonomy, read_manifest(folder))
    report["fallback_skills"] = (
        [
            {
                "uri": c.uri,
                "label_en": c.pref_en,
                "occupations": len(taxonomy.occupations_of(c.uri)),
            }
            for c in fallback_concepts(taxonomy, "skill", list_fallbacks)
        ]
        if list_fallbacks > 0
        else []
    )
    report["attribution"] = ESCO_ATTRIBUTION
    return report
