"""Documents benchmark: a 100 MB upload and download with the server's memory growth, and
search over 10,000 documents of 5–50 KB of text (target p95 < 50 ms on PostgreSQL).

Standalone, on its own throw-away PostgreSQL database (`portal_bench_documents`, dropped at
the end): migrate, `flask seed-demo`, then 10,000 documents in the Chile–UK MoU, written
with COPY-speed inserts; their search terms are made by the portal's own index_terms.
Servers and the login come from bench/run.py (2 sync gunicorn workers, production config).

- upload/download: one 100,000,000-byte file (PNG bytes, so no text extraction) posted as
  multipart in 1 MB chunks, then downloaded and discarded; memory growth is each worker's
  peak resident size (VmHWM, reset just before) after, minus its size before (< 30 MB);
- search: a sequential run (one connection: latency without queueing) of random one- and
  two-word queries from the documents' vocabulary, p50/p95/p99; then wrk-style rate with
  8 connections next to the bare hello route, as bench/run.py measures pages.
"""

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

DATABASE = "portal_bench_documents"
DOCUMENTS = 10_000
STAMP = datetime(2026, 1, 1, tzinfo=UTC)
UPLOAD_BYTES = 100_000_000
MEMBER = "member.cl@demo.portal"
PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "demo-portal-2026")
VOCABULARY_ES = [
    "ciberseguridad",
    "estrategia",
    "estrategias",
    "nacional",
    "nacionales",
    "protocolo",
    "protocolos",
    "incidente",
    "incidentes",
    "respuesta",
    "equipo",
    "equipos",
    "capacitación",
    "capacitaciones",
    "legislación",
    "delito",
    "ciberdefensa",
    "gobierno",
    "ministerio",
    "política",
    "políticas",
    "protección",
    "datos",
    "infraestructura",
    "crítica",
    "riesgo",
    "riesgos",
    "amenaza",
    "amenazas",
    "vulnerabilidad",
    "vulnerabilidades",
    "coordinación",
    "cooperación",
    "intercambio",
    "información",
    "buenas",
    "prácticas",
    "capital",
    "humano",
    "formación",
    "ejercicio",
    "simulacro",
    "alerta",
    "temprana",
    "servicios",
    "digitales",
    "red",
    "redes",
    "sistema",
    "sistemas",
    "seguridad",
]
VOCABULARY_EN = [
    "cybersecurity",
    "strategy",
    "strategies",
    "national",
    "protocol",
    "incident",
    "incidents",
    "response",
    "team",
    "training",
    "legislation",
    "crime",
    "defence",
    "government",
    "ministry",
    "policy",
    "protection",
    "data",
    "critical",
    "infrastructure",
    "risk",
    "threat",
    "vulnerability",
    "coordination",
    "cooperation",
    "exchange",
    "information",
    "best",
    "practice",
    "human",
    "capital",
    "exercise",
    "early",
    "warning",
    "digital",
    "services",
    "network",
    "system",
]


def _text(rng: random.Random, words: list[str]) -> str:
    size = rng.randint(5_000, 50_000)
    out, length = [], 0
    while length < size:
        word = rng.choice(words)
        out.append(word)
        length += len(word) + 1
    return " ".join(out)


def _seed(database_url: str) -> int:
    """10,000 documents (mostly TLP:GREEN, some AMBER and RED) in the Chile–UK MoU."""
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py"}
    python = sys.executable
    subprocess.run(  # noqa: S603 - our own interpreter and command
        [python, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(  # noqa: S603 - our own interpreter and command
        [python, "-m", "flask", "seed-demo", "--password", PASSWORD],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.environ["DATABASE_URL"] = database_url
    from sqlalchemy import insert, select, text

    from portal import create_app
    from portal.accounts.models import User
    from portal.documents.models import Document, DocumentLanguage
    from portal.documents.search import STEMMING, fold, stem
    from portal.extensions import db
    from portal.mous.models import WorkingGroup

    app = create_app()
    rng = random.Random(2026)  # noqa: S311 - test data
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == MEMBER))
        group = db.session.scalar(
            select(WorkingGroup).where(WorkingGroup.name_en == "Binational Working Group")
        )
        terms = {
            language: {w: stem(fold(w), STEMMING[language]) for w in words}
            for language, words in (
                (DocumentLanguage.SPANISH, VOCABULARY_ES),
                (DocumentLanguage.ENGLISH, VOCABULARY_EN),
            )
        }
        start = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM documents")) + 1
        batch = 500
        for first in range(0, DOCUMENTS, batch):
            documents, texts = [], []
            for n in range(first, min(first + batch, DOCUMENTS)):
                language = DocumentLanguage.SPANISH if n % 2 else DocumentLanguage.ENGLISH
                words = VOCABULARY_ES if n % 2 else VOCABULARY_EN
                body = _text(rng, words)
                title = " ".join(rng.sample(words, 4)).capitalize()
                tlp = "green" if n % 10 else ("amber" if n % 20 else "red")
                document_id = start + n
                documents.append(
                    {
                        "id": document_id, "mou_id": group.mou_id,
                        "working_group_id": group.id, "title": title,
                        "description_md": "", "description_html": "",
                        "language": language.value, "category": "best_practice", "tlp": tlp,
                        "owning_party_id": member.party_id, "created_by_id": member.id,
                        "created_at": STAMP,
                        "updated_at": STAMP,
                    }
                )  # fmt: skip
                mapping = terms[language]
                texts.append(
                    {
                        "document_id": document_id,
                        "content": body,
                        "title_terms": " ".join(mapping[w] for w in title.lower().split()),
                        "body_terms": " ".join(mapping[w] for w in body.split()),
                    }
                )
            db.session.execute(insert(Document.__table__), documents)
            db.session.execute(
                text(
                    "INSERT INTO document_texts (document_id, content, search_vector) VALUES "
                    "(:document_id, :content, setweight(to_tsvector('simple', :title_terms), 'A')"
                    " || to_tsvector('simple', :body_terms))"
                ),
                texts,
            )
            db.session.commit()
        db.session.execute(
            text("SELECT setval('documents_id_seq', (SELECT max(id) FROM documents))")
        )
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return group.mou_id


def _hwm_and_rss(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
    return int(values["VmHWM"]) * 1024, int(values["VmRSS"]) * 1024


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(c) for c in children]


def _csrf(port: int, path: str, cookie: str) -> tuple[str, str]:
    status, headers, body = run._request(port, "GET", path, {"Cookie": cookie})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    assert status == 200 and token, f"{path}: HTTP {status}"
    return token.group(1).decode(), run._session_cookie(headers, cookie)


def _upload(port: int, cookie: str, mou_id: int, path: Path) -> tuple[int, float, str]:
    import http.client

    form_path = f"/mous/{mou_id}/documents/new"
    token, cookie = _csrf(port, form_path, cookie)
    boundary = "bench-documents-boundary"
    fields = {
        "csrf_token": token, "title": "Bench upload", "language": "en",
        "category": "other", "tlp": "amber", "tags": "", "description_md": "",
    }  # fmt: skip
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head.encode()) + path.stat().st_size + len(tail)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.monotonic()
    connection.putrequest("POST", form_path)
    connection.putheader("Cookie", cookie)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    connection.send(head.encode())
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            connection.send(chunk)
    connection.send(tail)
    response = connection.getresponse()
    response.read()
    elapsed = time.monotonic() - started
    location = response.getheader("Location", "")
    connection.close()
    return response.status, elapsed, location


def _download(port: int, cookie: str, document_path: str) -> tuple[int, float, int]:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    started = time.monotonic()
    connection.request("GET", f"{document_path}/versions/1/download", headers={"Cookie": cookie})
    response = connection.getresponse()
    received = 0
    while chunk := response.read(1024 * 1024):
        received += len(chunk)
    elapsed = time.monotonic() - started
    connection.close()
    return response.status, elapsed, received


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _search_latencies(port: int, cookie: str, count: int) -> list[float]:
    rng = random.Random(7)  # noqa: S311 - test data
    words = VOCABULARY_ES + VOCABULARY_EN
    latencies = []
    for _ in range(count):
        query = " ".join(rng.sample(words, rng.choice((1, 2))))
        path = "/documents/search?" + urllib.parse.urlencode({"q": query})
        started = time.perf_counter()
        status, _, _ = run._request(port, "GET", path, {"Cookie": cookie})
        latencies.append((time.perf_counter() - started) * 1000)
        assert status == 200, f"search answered {status}"
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--loadgen", choices=("wrk", "python"), default="wrk")
    args = parser.parse_args()
    args.app_root = ROOT
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    database_url = f"{run.SERVER_URL.replace('postgresql://', 'postgresql+psycopg://')}/{DATABASE}"
    servers = []
    storage = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    big = storage / "big.png"
    try:
        run._log(f"creating {DATABASE} and seeding {DOCUMENTS:,} documents")
        run.recreate_database(DATABASE)
        started = time.monotonic()
        mou_id = _seed(database_url)
        run._log(f"seeded in {time.monotonic() - started:.0f} s")
        env = run._portal_env(database_url)
        env["DOCUMENT_STORAGE_PATH"] = str(storage / "store")
        portal_port, hello_port = run._free_port(), run._free_port()
        servers.append(run._gunicorn("wsgi:app", portal_port, env, args))
        servers.append(run._gunicorn("bench.hello:app", hello_port, dict(os.environ), None))
        run._wait_until_serving(hello_port, "/", servers)
        run._wait_until_serving(portal_port, "/auth/login", servers)
        cookie = run._log_in(portal_port, MEMBER, PASSWORD)

        latencies = _search_latencies(portal_port, cookie, args.searches)
        search = {
            "requests": len(latencies),
            "p50_ms": round(_percentile(latencies, 50), 1),
            "p95_ms": round(_percentile(latencies, 95), 1),
            "p99_ms": round(_percentile(latencies, 99), 1),
        }
        run._log(f"search, one connection: {search}")
        queries = [urllib.parse.quote(w) for w in VOCABULARY_ES + VOCABULARY_EN]
        note = f"{len(queries)} one-word queries over {DOCUMENTS:,} documents"
        targets = [
            run.Target("hello", "bare Flask hello", hello_port, "/?n=%s", queries, note),
            run.Target("search", "document search", portal_port, "/documents/search?q=%s",
                       queries, note),
        ]  # fmt: skip
        rates = [run._measure(t, cookie, args, args.loadgen) for t in targets]

        with big.open("wb") as handle:
            handle.write(b"\x89PNG\r\n\x1a\n")
            for _ in range(UPLOAD_BYTES // (1024 * 1024)):
                handle.write(os.urandom(1024 * 1024))
            handle.write(os.urandom(UPLOAD_BYTES - handle.tell()))
        workers = _workers(servers[0].pid)
        for pid in workers:
            # Reset each worker's peak (VmHWM) to its current size: search ran in it before.
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        before = {pid: _hwm_and_rss(pid) for pid in workers}
        status, upload_s, location = _upload(portal_port, cookie, mou_id, big)
        assert status == 302 and "/documents/" in location, f"upload answered {status}"
        document_path = urllib.parse.urlparse(location).path
        status, download_s, received = _download(portal_port, cookie, document_path)
        assert status == 200 and received == UPLOAD_BYTES, f"download {status}, {received}"
        after = {pid: _hwm_and_rss(pid) for pid in workers}
        growth = max(after[pid][0] - before[pid][1] for pid in workers)
        files = {
            "bytes": UPLOAD_BYTES,
            "upload_s": round(upload_s, 2),
            "download_s": round(download_s, 2),
            "peak_rss_growth_mb": round(growth / 1e6, 1),
        }
        run._log(f"100 MB file: {files}")
        report = {"search_sequential": search, "search_rates": rates, "file_100mb": files}
        report["load_at_start"] = run.LOAD_AT_START
        (run.RESULTS / "documents.json").write_text(json.dumps(report, indent=2) + "\n")
        hello_rate = rates[0]["rps"]
        print(json.dumps(report, indent=2))
        if hello_rate:
            print("search ratio to hello:", round(rates[1]["rps"] / hello_rate, 4))
    finally:
        for server in servers:
            run._stop(server)
        big.unlink(missing_ok=True)
        subprocess.run(["rm", "-rf", str(storage)], check=False)  # noqa: S603, S607
        run.drop_database(DATABASE)
        run._log("done")


if __name__ == "__main__":
    main()
