"""The loaded engine: taxonomy, encoder, index and linker, each built once and shared.

The CLI, the service and the evaluation use one ``Engine`` per process, so models and indexes
load once (the single-item calls everywhere are batches of one).
"""

from __future__ import annotations

from functools import cached_property

from extractor.linking import ConceptLinker
from extractor.pipeline import SkillExtractor
from taxonomy import Taxonomy, load_taxonomy
from taxonomy.encoders import Encoder, get_encoder
from taxonomy.index import TaxonomyIndex, get_index


class Engine:
    """Lazily loads each component on first use; arguments override the settings."""

    def __init__(self, encoder: str | None = None, model: str | None = None) -> None:
        self._encoder_backend = encoder
        self._encoder_model = model

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return load_taxonomy()

    @cached_property
    def encoder(self) -> Encoder:
        return get_encoder(self._encoder_backend, self._encoder_model)

    @cached_property
    def index(self) -> TaxonomyIndex:
        return get_index(self.taxonomy, self.encoder)

    @cached_property
    def linker(self) -> ConceptLinker:
        return ConceptLinker(self.index)

    @cached_property
    def extractor(self) -> SkillExtractor:
        return SkillExtractor(self.index, self.linker)

    def forget_cached_phrases(self) -> None:
        """Empty the extractor's in-memory phrase caches, if it was loaded (after an erasure:
        phrases of the person's CV may be among them; the caches are not kept per person)."""
        if "extractor" in vars(self):  # not loaded: nothing cached, and nothing to load
            self.extractor.clear_caches()
