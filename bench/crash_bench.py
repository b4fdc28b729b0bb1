"""Crash test: kill the server (SIGKILL) while CVs are being uploaded, restart it, and check
that every upload that was answered 2xx is there, complete, and nothing is half-written.

The server runs in a subprocess on 127.0.0.1 (a free port) with the engine preloaded. Client
threads upload real CVs (the sample and fixture CVs, each made unique) to employees created
beforehand; once ``kill_after`` uploads have succeeded the server is killed mid-flight. After a
restart on the same database, through the API:

- every 2xx upload's document exists with exactly the uploaded bytes (SHA-256), and every
  skill the response reported as added is in that employee's passport;
- every stored CV document has claims pointing at it (document and claims commit together,
  so a document without claims would be a half-written upload), and every claim's evidence
  points at a document that exists;
- SQLite's ``PRAGMA integrity_check`` is "ok".

``run()`` returns the counts; ``ok`` is True when nothing is missing or half-written.

    python -m bench.crash_bench --uploads 40 --kill-after 8
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.load_bench import Server

ROOT = Path(__file__).resolve().parent.parent
CV_SOURCES = sorted((ROOT / "samples").glob("cv_*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "documents").glob("cv_*.txt")
)


def run(
    uploads: int = 40, kill_after: int = 8, threads: int = 4, employees: int = 12
) -> dict[str, Any]:
    """Upload up to ``uploads`` CVs on ``threads`` threads; SIGKILL after ``kill_after``
    successes; restart and verify."""
    import httpx

    with tempfile.TemporaryDirectory(prefix="vaardig-crash-") as folder:
        database = Path(folder) / "crash.db"
        url = f"sqlite:///{database}"
        key, employee_ids = _seed(url, employees)
        server = Server(folder, url, VAARDIG_PRELOAD="true").start()
        answered: list[dict[str, Any]] = []
        failures: list[str] = []
        lock = threading.Lock()
        counter = itertools.count()
        killed = threading.Event()

        def uploader() -> None:
            with httpx.Client(base_url=server.base, headers={"X-API-Key": key}, timeout=300) as c:
                while not killed.is_set():
                    n = next(counter)
                    if n >= uploads:
                        return
                    employee = employee_ids[n % len(employee_ids)]
                    content = _cv(n)
                    try:
                        response = c.post(
                            f"/api/v1/employees/{employee}/cv",
                            files={"file": (f"cv-{n}.txt", content, "text/plain")},
                        )
                    except httpx.HTTPError as exc:
                        with lock:
                            failures.append(type(exc).__name__)
                        continue
                    with lock:
                        if 200 <= response.status_code < 300:
                            body = response.json()
                            answered.append(
                                {
                                    "employee": employee,
                                    "document_id": body["document_id"],
                                    "sha256": hashlib.sha256(content).hexdigest(),
                                    "skills": body["added"] + body["updated"],
                                }
                            )
                            if len(answered) >= kill_after and not killed.is_set():
                                killed.set()
                                server.kill()
                        else:
                            failures.append(str(response.status_code))

        workers = [threading.Thread(target=uploader) for _ in range(threads)]
        t0 = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        upload_s = time.perf_counter() - t0
        server.kill()  # if every upload finished before the kill
        restarted = Server(folder, url).start()
        try:
            checks = _verify(restarted.base, key, employee_ids, answered)
        finally:
            restarted.stop()
        integrity = sqlite3.connect(database).execute("PRAGMA integrity_check").fetchone()[0]
    return {
        "uploads_sent": min(next(counter), uploads),
        "answered_2xx": len(answered),
        "failed_in_flight": len(failures),
        "killed_mid_upload": killed.is_set(),
        "upload_s": round(upload_s, 1),
        **checks,
        "sqlite_integrity": integrity,
        "ok": checks["missing"] == 0 and checks["half_written"] == 0 and integrity == "ok",
    }


def _seed(url: str, employees: int) -> tuple[str, list[int]]:
    from matcher.store import Database, PassportStore
    from service.auth import KeyRing
    from service.schema import upgrade_service_schema

    database = Database.open(url)
    upgrade_service_schema(database)
    store = PassportStore(database)
    organisation = store.create_organisation("Crash BV")
    _, key = KeyRing(database).create(organisation.id, "crash", "hr")
    ids = [store.add_employee(organisation.id, f"emp-{n:03d}").id for n in range(employees)]
    database.close()
    return key, ids


def _cv(n: int) -> bytes:
    """A real CV text, made unique so every upload is its own document."""
    source = CV_SOURCES[n % len(CV_SOURCES)]
    return source.read_bytes() + f"\n\nReferentie upload {n}\n".encode()


def _verify(
    base: str, key: str, employee_ids: list[int], answered: list[dict[str, Any]]
) -> dict[str, int]:
    import httpx

    missing = half_written = documents = 0
    with httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=120) as client:
        for upload in answered:
            content = client.get(f"/api/v1/documents/{upload['document_id']}/content")
            if content.status_code != 200:
                missing += 1
                continue
            if hashlib.sha256(content.content).hexdigest() != upload["sha256"]:
                missing += 1
        for employee in employee_ids:
            passport = client.get(f"/api/v1/employees/{employee}/passport").json()
            claimed = {c["skill_uri"] for c in passport["claims"]}
            cited = {e["document_id"] for c in passport["claims"] for e in c["evidence"]}
            stored = {d["id"] for d in client.get(f"/api/v1/employees/{employee}/documents").json()}
            documents += len(stored)
            half_written += len(stored - cited)  # a document without its claims
            half_written += len(cited - stored - {None})  # evidence without its document
            for upload in (u for u in answered if u["employee"] == employee):
                missing += len(set(upload["skills"]) - claimed)
    return {"documents_after_restart": documents, "missing": missing, "half_written": half_written}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--kill-after", type=int, default=8)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.uploads, args.kill_after, args.threads), indent=1))


if __name__ == "__main__":
    main()
