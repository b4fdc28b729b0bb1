"""Load on the running service: 50 concurrent clients searching and matching for 60 s against
an organisation of 10,000 passports, on loopback.

The server is the real one (``uvicorn --factory service.app:create_app``, one worker) in a
subprocess on 127.0.0.1 and a free port, on a fresh SQLite database. Passports are synthetic
(``matcher.synthetic``: ESCO occupations sampled into people), written in bulk into the
store's tables in this process before the server starts; vacancies likewise. Each client
loops: half taxonomy searches (``GET /taxonomy/search``, one encoder call each), half matches
(``GET /roles/{id}/candidates?k=10``: retrieval, exact scoring, explanations, audit entries).

``run()`` returns throughput, p50/p95/p99 per kind and overall, and the error count.

    python -m bench.load_bench --duration 60 --clients 50 --passports 10000
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import percentiles

QUERIES = (
    "heftruck rijden",
    "lassen",
    "boekhouding bijhouden",
    "klanten te woord staan",
    "warmtepompen installeren",
    "plannen en organiseren",
    "Python programmeren",
    "orderpicken",
    "elektrische installaties aanleggen",
    "salarisadministratie",
    "veilig werken op hoogte",
    "voorraadbeheer",
)
SEED_BATCH = 500


def run(
    duration_s: float = 60.0, clients: int = 50, passports: int = 10_000, vacancies: int = 20
) -> dict[str, Any]:
    """Seed, start the server, load it for ``duration_s``, stop it; return the figures."""
    with tempfile.TemporaryDirectory(prefix="vaardig-load-") as folder:
        url = f"sqlite:///{Path(folder) / 'load.db'}"
        t0 = time.perf_counter()
        key, role_ids = seed(url, passports, vacancies)
        seed_s = time.perf_counter() - t0
        with Server(folder, url) as server:
            warm = _warm_up(server.base, key, role_ids)
            stats = asyncio.run(_load(server.base, key, role_ids, duration_s, clients))
    return {
        "passports": passports,
        "vacancies": vacancies,
        "clients": clients,
        "duration_s": duration_s,
        "seed_s": round(seed_s, 1),
        "warm_up_s": warm,
        **stats,
    }


# -- seeding -----------------------------------------------------------------------------------


def seed(url: str, n_passports: int, n_vacancies: int) -> tuple[str, list[int]]:
    """An organisation with ``n_passports`` synthetic passports and ``n_vacancies`` vacancies;
    returns an admin key and the vacancies' role ids."""
    from matcher.roles import occupation_roles
    from matcher.skills import SkillSpace
    from matcher.store import Database, PassportStore, RoleStore
    from matcher.synthetic import synthetic_people, synthetic_vacancies
    from service.auth import KeyRing
    from service.schema import upgrade_service_schema
    from vaardig.engine import Engine

    database = Database.open(url)
    upgrade_service_schema(database)
    store, roles = PassportStore(database), RoleStore(database)
    organisation = store.create_organisation("Belasting BV")
    _, key = KeyRing(database).create(organisation.id, "load", "admin")
    space = SkillSpace.from_index(Engine().index)
    occupations = occupation_roles(space)
    people = synthetic_people(space, occupations, n_passports, seed=7)
    for start in range(0, len(people), SEED_BATCH):
        batch = people[start : start + SEED_BATCH]
        database.write(lambda s, batch=batch: _insert_people(s, organisation.id, space, batch))
    role_ids = [
        roles.add_role(organisation.id, "vacancy", profile.title, list(profile.skills)).id
        for profile in synthetic_vacancies(space, occupations, n_vacancies, seed=7)
    ]
    database.close()
    return key, role_ids


def _insert_people(session, organisation_id: int, space, people) -> None:
    """Bulk-insert employees with a CV document and one claim (with evidence) per skill."""
    from sqlalchemy import insert

    from matcher.store.models import ClaimRow, DocumentRow, EmployeeRow, EvidenceRow

    now = datetime.now(UTC)
    for person in people:
        labels = [space.label(int(row)) for row in person.rows]
        lines = [f"Ervaring met {label}." for label in labels]
        text = "Werkervaring\n" + "\n".join(lines)
        employee = session.execute(
            insert(EmployeeRow).returning(EmployeeRow.id),
            {
                "organisation_id": organisation_id,
                "external_id": person.external_id,
                "created_at": now,
            },
        ).scalar_one()
        content = text.encode()
        document = session.execute(
            insert(DocumentRow).returning(DocumentRow.id),
            {
                "organisation_id": organisation_id,
                "employee_id": employee,
                "kind": "cv",
                "filename": "cv.txt",
                "content": content,
                "text": text,
                "lang": "nl",
                "sha256": hashlib.sha256(content).hexdigest(),
                "size": len(content),
                "uploaded_at": now,
            },
        ).scalar_one()
        offset = len("Werkervaring\n")
        for row, label, line, strength, confirmed in zip(
            person.rows, labels, lines, person.strength, person.confirmed, strict=True
        ):
            confidence = round(min(max(2 * float(strength) - 1, 0.0), 1.0), 3)
            claim = session.execute(
                insert(ClaimRow).returning(ClaimRow.id),
                {
                    "employee_id": employee,
                    "skill_uri": space.uris[int(row)],
                    "label": label,
                    "status": "confirmed" if confirmed else "suggested",
                    "confidence": confidence if not confirmed else 1.0,
                    "method": "exact",
                    "first_seen": now,
                    "confirmed_at": now if confirmed else None,
                    "confirmed_by": "seed" if confirmed else None,
                    "updated_at": now,
                    "version": 1,
                },
            ).scalar_one()
            start = offset + len("Ervaring met ")
            session.execute(
                insert(EvidenceRow),
                {
                    "claim_id": claim,
                    "document_id": document,
                    "start": start,
                    "end": start + len(label),
                    "text": label,
                    "sentence": line,
                    "section": "experience",
                    "method": "exact",
                    "confidence": confidence,
                    "extracted_at": now,
                },
            )
            offset += len(line) + 1


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """``uvicorn --factory service.app:create_app`` on 127.0.0.1 in a subprocess."""

    def __init__(self, folder: str, database_url: str, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "VAARDIG_DATA_DIR": str(Path(folder) / "data"),
            "VAARDIG_DATABASE_URL": database_url,
            "VAARDIG_RETENTION_SWEEP_HOURS": "0",
            "VAARDIG_LOG_LEVEL": "WARNING",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout_s: float = 600) -> Server:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "service.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=Path(__file__).resolve().parent.parent,
        )
        self.wait_ready(ready_timeout_s)
        return self

    def wait_ready(self, timeout_s: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"the server was not ready within {timeout_s:.0f} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing; what a power cut would do."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- the load ----------------------------------------------------------------------------------


def _warm_up(base: str, key: str, role_ids: list[int]) -> float:
    """First search loads the index; first match builds the organisation's passport index."""
    import httpx

    t0 = time.perf_counter()
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=600) as client:
        client.get("/api/v1/taxonomy/search", params={"q": QUERIES[0]}).raise_for_status()
        client.get(f"/api/v1/roles/{role_ids[0]}/candidates").raise_for_status()
    return round(time.perf_counter() - t0, 1)


async def _load(
    base: str, key: str, role_ids: list[int], duration_s: float, clients: int
) -> dict[str, Any]:
    import httpx

    samples: dict[str, list[float]] = {"search": [], "match": []}
    errors: list[str] = []
    deadline = time.monotonic() + duration_s
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient, number: int) -> None:
        rng = random.Random(number)
        while time.monotonic() < deadline:
            if rng.random() < 0.5:
                kind, url = "search", "/api/v1/taxonomy/search"
                params: dict[str, Any] = {"q": rng.choice(QUERIES), "k": 10}
            else:
                kind, url = "match", f"/api/v1/roles/{rng.choice(role_ids)}/candidates"
                params = {"k": 10}
            t0 = time.perf_counter()
            try:
                response = await client.get(url, params=params)
                if response.status_code != 200:
                    errors.append(f"{kind} {response.status_code}")
                    continue
            except httpx.HTTPError as exc:
                errors.append(f"{kind} {type(exc).__name__}")
                continue
            samples[kind].append(time.perf_counter() - t0)

    t_start = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=base, headers={"X-API-Key": key}, timeout=120, limits=limits
    ) as client:
        await asyncio.gather(*(client_loop(client, n) for n in range(clients)))
    elapsed = time.perf_counter() - t_start
    everything = samples["search"] + samples["match"]
    return {
        "requests": len(everything) + len(errors),
        "throughput_rps": round(len(everything) / elapsed, 1),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:10],
        "latency": percentiles(everything) if everything else {},
        "search": {"n": len(samples["search"]), **_maybe(samples["search"])},
        "match": {"n": len(samples["match"]), **_maybe(samples["match"])},
    }


def _maybe(values: list[float]) -> dict[str, float]:
    return percentiles(values) if values else {}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--passports", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=20)
    args = parser.parse_args(argv)
    result = run(args.duration, args.clients, args.passports, args.vacancies)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
