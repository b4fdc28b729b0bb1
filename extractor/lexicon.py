"""Exact candidate spans: spaCy PhraseMatchers over taxonomy labels and the Dutch alias table.

Two matchers per document language:

- ``NORM`` (lemma keys, see :mod:`extractor.nlp`) over every label and alias of three letters
  or more, so inflected forms match ("heftrucks bediend" → "heftruck bedienen");
- ``ORTH`` (case-sensitive) over short acronyms and symbols ("SQL", "C#", "R"), so "C" in
  "rijbewijs C" is not the programming language unless the alias table's context words say so.

Labels that are a single stop word, or short lowercase words, never fire on their own. Building
the matchers over ~110,000 labels takes seconds, so a built lexicon is pickled in the cache,
keyed by the taxonomy fingerprint and the alias file's hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extractor.aliases import Alias, LabelBlock, alias_fires
from extractor.nlp import STOP_WORDS, get_nlp, lemma_key
from taxonomy.model import ConceptKind
from taxonomy.taxonomy import Taxonomy

log = logging.getLogger(__name__)

_FORMAT = 8  # 6: Dutch hyphenated and slashed words split; 7: "C#" matched case-sensitively;
# 8: acronyms ("DELF", "NEN") keyed as written, not lemmatised


@dataclass(frozen=True)
class LexiconEntry:
    """What a matched key means: a taxonomy label of some concepts, or an alias."""

    uris: tuple[str, ...]
    label: str
    alias: Alias | None = None
    preferred: bool = False  # the label is a concept's preferred label


@dataclass(frozen=True)
class LexiconMatch:
    span: Span
    entries: tuple[LexiconEntry, ...]

    @property
    def source(self) -> str:
        return "alias" if any(e.alias for e in self.entries) else "lexicon"


def _is_short_acronym(text: str) -> bool:
    t = text.strip()
    return len(t) <= 3 and (any(c.isupper() or c.isdigit() for c in t) or not t.isalpha())


class Lexicon:
    """Label and alias matchers for one document language and one concept kind."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        lang: str,
        kind: ConceptKind,
        aliases: list[Alias] = (),
        blocks: list[LabelBlock] = (),
    ) -> None:
        self.lang = lang
        self.kind = kind
        nlp = get_nlp(lang)
        self._norm = PhraseMatcher(nlp.vocab, attr="NORM")
        self._orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_norm: dict[str, list[LexiconEntry]] = defaultdict(list)
        by_orth: dict[str, list[LexiconEntry]] = defaultdict(list)
        blocked = {(b.label.casefold(), b.uri) for b in blocks}
        for concept in taxonomy.iter(kind):
            labels = (
                concept.labels("nl") + concept.labels("en")
                if lang == "nl"
                else (concept.labels("en"))
            )
            for label in dict.fromkeys(labels):
                if (label.strip().casefold(), concept.uri) in blocked:
                    continue
                preferred = label in (concept.pref_nl, concept.pref_en)
                self._add(
                    label, LexiconEntry((concept.uri,), label, None, preferred), by_norm, by_orth
                )
        for alias in aliases:
            self._add(
                alias.alias, LexiconEntry((alias.uri,), alias.alias, alias, True), by_norm, by_orth
            )
        # several concepts can share a label: each keeps its own entry
        self._by_norm = {k: tuple(v) for k, v in by_norm.items()}
        # every content word of every label: a phrase sharing none of them cannot link well
        self.vocabulary = frozenset(
            w for key in self._by_norm for w in key.split(" ") if w not in STOP_WORDS
        )
        self._by_orth = {k: tuple(v) for k, v in by_orth.items()}
        self._norm.add("L", [self._pattern(key) for key in self._by_norm])
        self._orth.add("L", [get_nlp(lang).make_doc(key) for key in self._by_orth])

    def _pattern(self, key: str) -> Doc:
        words = key.split(" ")
        doc = Doc(get_nlp(self.lang).vocab, words=words)
        for token in doc:
            token.norm_ = token.text
        return doc

    def _add(self, text: str, entry: LexiconEntry, by_norm: dict, by_orth: dict) -> None:
        tokens = get_nlp(self.lang).make_doc(" ".join(text.split()))
        words = [t.text for t in tokens if not t.is_space]
        if not words:
            return
        if len(text.split()) == 1 and _is_short_acronym("".join(words)):
            # "SQL", and "C#" (two tokens: "C", "#", whose keys are too short to match on)
            by_orth[" ".join(words)].append(entry)
            return
        keys = [lemma_key(w, self.lang) for w in words]
        # stop words and length are judged per written word: "back-ups" is one word, though
        # its tokens "back", "-", "ups" are all (English) stop words or punctuation
        parts = [lemma_key(w, self.lang) for w in text.split()]
        content = [k for k in parts if k not in STOP_WORDS and len(k) > 1]
        if not content:
            if entry.alias is not None and len(parts) == 1 and text.strip()[:1].isupper():
                # a name that is also a stop word ("Word": "word" is a form of "worden"):
                # matched as written, and only where the alias table's context words say so
                by_orth[" ".join(words)].append(entry)
            return  # a label made of stop words only would fire everywhere
        if (
            len(parts) == 1
            and entry.alias is None
            and (len(parts[0]) <= 3 or (not entry.preferred and text.strip().islower()))
        ):
            # short words ("pr") and single common words that are only an alternative label
            # ("data" for statistics, "language" for terminology) fire far too often
            return
        by_norm[" ".join(keys)].append(entry)

    def find(self, doc: Doc) -> list[LexiconMatch]:
        """Longest non-overlapping matches in ``doc``, with their entries; context-bound
        aliases only where their context words occur in the sentence."""
        spans: list[Span] = []
        entries: dict[tuple[int, int], list[LexiconEntry]] = defaultdict(list)
        for matcher, table, attr in (
            (self._norm, self._by_norm, "norm_"),
            (self._orth, self._by_orth, "text"),
        ):
            for _, start, end in matcher(doc):
                span = doc[start:end]
                key = " ".join(getattr(t, attr) for t in span)
                for entry in table.get(key, ()):
                    if entry.alias and not alias_fires(entry.alias, span.sent.text):
                        continue
                    if (start, end) not in entries:
                        spans.append(span)
                    known = {u for e in entries[(start, end)] for u in e.uris}
                    if not set(entry.uris) <= known:  # one entry per concept and span
                        entries[(start, end)].append(entry)
        return [
            LexiconMatch(span, tuple(entries[(span.start, span.end)]))
            for span in filter_spans(spans)
        ]


def load_lexicon(
    taxonomy: Taxonomy,
    lang: str,
    kind: ConceptKind,
    aliases: list[Alias],
    cache_dir: Path,
    blocks: list[LabelBlock] = (),
) -> Lexicon:
    """A lexicon from the disk cache, or built (seconds) and cached; the cache key covers the
    taxonomy, the language and kind, and every alias and label block."""
    rows = [f"{a.alias}|{a.uri}|{a.context_words}" for a in aliases]
    rows += [f"block|{b.label}|{b.uri}" for b in blocks]
    key = hashlib.sha256(
        "\n".join([f"{_FORMAT}|{taxonomy.fingerprint}|{lang}|{kind}", *rows]).encode()
    ).hexdigest()[:16]
    path = Path(cache_dir) / "lexicon" / f"{kind}-{lang}-{key}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                lexicon = pickle.load(fh)
            if isinstance(lexicon, Lexicon):
                return lexicon
        except Exception:  # a damaged cache is rebuilt
            log.warning("lexicon cache %s is damaged; rebuilding", path)
    lexicon = Lexicon(taxonomy, lang, kind, aliases, blocks)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(lexicon, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("cannot write lexicon cache %s: %s", path, exc)
    return lexicon
