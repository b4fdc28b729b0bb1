"""Dutch-first ESCO taxonomy: concepts, hierarchy, relations, label lookups and the vector index."""

from taxonomy.loader import load_taxonomy
from taxonomy.model import (
    ESCO_ATTRIBUTION,
    Concept,
    ConceptNotFound,
    TaxonomyDataError,
    TaxonomyError,
    normalise_label,
)
from taxonomy.taxonomy import LabelHit, Taxonomy

__all__ = [
    "ESCO_ATTRIBUTION",
    "Concept",
    "ConceptNotFound",
    "LabelHit",
    "Taxonomy",
    "TaxonomyDataError",
    "TaxonomyError",
    "load_taxonomy",
    "normalise_label",
]
