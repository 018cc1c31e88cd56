"""Documents benchmark: a 100 MB upload and download with the server's memory growth, and
search over 10,000 documents of 5–50 KB of text (target p95 < 50 ms on PostgreSQL).

Standalone, on its own throw-away PostgreSQL database (`portal_bench_documents`, dropped at
the end): migrate, `flask seed-demo`, then 10,000 documents in the Chile–UK MoU, written
with COPY-speed inserts. Their text mixes a topic vocabulary (the words searched for, so a
query matches thousands of documents) with a long tail of made-up words drawn with a Zipf
law, so each document has a realistic thousand or more distinct terms; the terms are
folded and stemmed by the portal's own functions. Servers and the login come from
bench/harness.py (2 sync gunicorn workers, production config).

- upload/download: one 100,000,000-byte file (PNG bytes, so no text extraction) posted as
  multipart in 1 MB chunks, then downloaded and discarded; memory growth is each worker's
  peak resident size (VmHWM, reset just before) after, minus its size before (< 30 MB);
- search, logged in as the demo member: random queries of one to three words, Spanish or
  English, as people type them (capitals, accents left out, singular or plural; one in five
  with a rarer word), mostly the first page, some pages 2–5. A sequential run (one
  connection: latency without queueing) gives p50/p95/p99 next to the bare hello route's,
  measured the same way in the same run; then the rate with wrk, 8 connections, next to
  the bare route measured before and after, as bench/run.py measures pages.
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
import unicodedata
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402

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


TAIL_WORDS = 6_000  # made-up words per language, drawn with a Zipf law
TOPIC_SHARE = 0.4  # of a text's words, from the topic vocabulary
SYLLABLES = {
    "es": ["ma", "re", "ci", "to", "lu", "ga", "pe", "dri", "ción", "tra", "mién", "ñu", "sá",
           "qui", "lo", "ver", "bo", "des", "ní", "fu", "al", "en", "ra", "zo"],
    "en": ["ba", "ter", "ing", "ly", "dro", "ment", "ple", "ow", "ness", "ca", "sh", "ti", "ver",
           "un", "pro", "gal", "wor", "th", "ick", "ay", "ous", "ble", "st", "ea"],
}  # fmt: skip


def _tail(rng: random.Random, language: str) -> list[str]:
    """Made-up words, the most frequent first."""
    words: dict[str, None] = {}
    while len(words) < TAIL_WORDS:
        words["".join(rng.choices(SYLLABLES[language], k=rng.randint(2, 4)))] = None
    return list(words)


def _tails() -> dict[str, list[str]]:
    """Each language's made-up words: the same for the seed and the queries."""
    return {language: _tail(random.Random(language), language) for language in SYLLABLES}  # noqa: S311


def _zipf_cumulative(count: int) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank
        cumulative.append(total)
    return cumulative


def _text(rng: random.Random, topic: list[str], tail: list[str], weights: list[float]) -> list:
    """The words of a 5–50 KB text: topic words and the long tail, mixed."""
    size = rng.randint(5_000, 50_000)
    draws = size // 6
    words = rng.choices(topic, k=int(draws * TOPIC_SHARE))
    words += rng.choices(tail, cum_weights=weights, k=draws - len(words))
    rng.shuffle(words)
    out, length = [], 0
    for word in words:
        if length >= size:
            break
        out.append(word)
        length += len(word) + 1
    return out


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
    from portal.core.extensions import db
    from portal.documents.models import Document, DocumentLanguage
    from portal.documents.search import STEMMING, fold, stem
    from portal.mous.models import WorkingGroup

    app = create_app()
    rng = random.Random(2026)  # noqa: S311 - test data
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == MEMBER))
        group = db.session.scalar(
            select(WorkingGroup).where(WorkingGroup.name_en == "Binational Working Group")
        )
        other_party_id = db.session.scalar(
            text("SELECT party_id FROM mou_parties WHERE mou_id = :mou AND party_id != :party"),
            {"mou": group.mou_id, "party": member.party_id},
        )
        tails = _tails()
        languages = {
            DocumentLanguage.SPANISH: (VOCABULARY_ES, tails["es"]),
            DocumentLanguage.ENGLISH: (VOCABULARY_EN, tails["en"]),
        }
        terms = {
            language: {w: stem(fold(w), STEMMING[language]) for w in topic + tail}
            for language, (topic, tail) in languages.items()
        }
        weights = _zipf_cumulative(TAIL_WORDS)
        terms_on_documents = _terms_on_documents(db.session)
        insert_text = _text_insert(terms_on_documents)
        start = db.session.scalar(text("SELECT coalesce(max(id), 0) FROM documents")) + 1
        batch = 500
        for first in range(0, DOCUMENTS, batch):
            documents, texts = [], []
            for n in range(first, min(first + batch, DOCUMENTS)):
                language = DocumentLanguage.SPANISH if n % 2 else DocumentLanguage.ENGLISH
                topic, tail = languages[language]
                words = _text(rng, topic, tail, weights)
                title_words = rng.sample(topic, 4)
                document_id = start + n
                # Mostly GREEN; some AMBER, RED (nobody named) and the other party's
                # AMBER+STRICT, which the member may not open.
                tlp = "green" if n % 10 else ("amber" if n % 20 else "red")
                owner = member.party_id
                if n % 10 == 5:
                    tlp, owner = "amber_strict", other_party_id
                updated = STAMP + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                documents.append(
                    {
                        "id": document_id, "mou_id": group.mou_id,
                        "working_group_id": group.id,
                        "title_en": "", "title_es": "",  # every row names every column
                        f"title_{language.value}": " ".join(title_words).capitalize(),
                        "description_md_en": "", "description_html_en": "",
                        "language": language.value, "category": "best_practice", "tlp": tlp,
                        "owning_party_id": owner, "created_by_id": member.id,
                        "created_at": updated, "updated_at": updated, "page_version": 1,
                    }
                )  # fmt: skip
                mapping = terms[language]
                distinct = {mapping[w] for w in words} | {mapping[w] for w in title_words}
                search_terms = " ".join(sorted(distinct))
                if terms_on_documents:
                    documents[-1]["search_terms"] = search_terms
                texts.append(
                    {
                        "document_id": document_id,
                        "content": " ".join(words),
                        "title_terms": " ".join(mapping[w] for w in title_words),
                        "body_terms": " ".join(mapping[w] for w in words),
                    }
                )
            db.session.execute(insert(Document.__table__), documents)
            db.session.execute(insert_text, texts)
            db.session.commit()
        db.session.execute(
            text("SELECT setval('documents_id_seq', (SELECT max(id) FROM documents))")
        )
        db.session.commit()
        mou_id = group.mou_id
        db.session.close()
        # As autovacuum leaves a long-lived database: visibility map set, statistics fresh.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return mou_id


def _terms_on_documents(session) -> bool:
    """Whether the schema at hand keeps search terms on documents (since revision 0009) or
    a tsvector on document_texts (before): the same benchmark measures either branch."""
    from sqlalchemy import inspect

    columns = {c["name"] for c in inspect(session.connection()).get_columns("documents")}
    return "search_terms" in columns


def _text_insert(terms_on_documents: bool):
    from sqlalchemy import text

    if terms_on_documents:
        return text(
            "INSERT INTO document_texts (document_id, content) VALUES (:document_id, :content)"
        )
    return text(  # as revision 0006's index_document made it: title weighted, every position
        "INSERT INTO document_texts (document_id, content, search_vector) VALUES"
        " (:document_id, :content, setweight(to_tsvector('simple', :title_terms), 'A')"
        " || to_tsvector('simple', :body_terms))"
    )


def _seeded_mou(database_url: str) -> int:
    """The MoU of the documents seeded by an earlier run kept with --keep-db."""
    import psycopg

    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://")) as db:
        return db.execute("SELECT mou_id FROM documents ORDER BY id LIMIT 1").fetchone()[0]


def _hwm_and_rss(pid: int) -> tuple[int, int]:
    status = Path(f"/proc/{pid}/status").read_text()
    values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.M))
    return int(values["VmHWM"]) * 1024, int(values["VmRSS"]) * 1024


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(c) for c in children]


def _csrf(port: int, path: str, cookie: str) -> tuple[str, str]:
    status, headers, body = harness.request(port, "GET", path, {"Cookie": cookie})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    assert status == 200 and token, f"{path}: HTTP {status}"
    return token.group(1).decode(), harness.session_cookie(headers, cookie)


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


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _as_typed(rng: random.Random, word: str) -> str:
    """A word as people type it: as written, capitalised, in capitals or without accents."""
    return rng.choice((word, word, word.capitalize(), word.upper(), _unaccented(word)))


def _search_paths(count: int) -> list[str]:
    """Search pages as the member asks for them (see the module's docstring)."""
    rng = random.Random(7)  # noqa: S311 - test data
    tails = _tails()
    paths = []
    for _ in range(count):
        language = rng.choice(("es", "en"))
        topic = VOCABULARY_ES if language == "es" else VOCABULARY_EN
        words = rng.sample(topic, rng.choice((1, 1, 2, 2, 3)))
        if rng.random() < 0.2:
            words[-1] = rng.choice(tails[language][20:500])  # fairly rare made-up words
        query = " ".join(_as_typed(rng, w) for w in words)
        page = 1 if rng.random() < 0.85 else rng.randint(2, 5)
        paths.append(urllib.parse.urlencode({"q": query, "page": page}))
    return paths


SEARCH_PATH = "/documents/search?%s"
HELLO_PATH = "/?%s"


def _print_summary(report: dict) -> None:
    search, hello = report["search_sequential"], report["hello_sequential"]
    rates = report["search_rates"]
    print()
    print("| | p50 | p95 | p99 | req/s (8 connections) | ratio to bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, sequential, rate in (
        ("document search", search, rates[1]),
        ("bare Flask hello", hello, rates[0]),
    ):
        print(
            f"| {label} | {sequential['p50_ms']} ms | {sequential['p95_ms']} ms "
            f"| {sequential['p99_ms']} ms | {rate['rps']:,.1f} | {rate.get('ratio', 1)} |"
        )
    print(f"(bare route's rate: first run; last run {rates[2]['rps']:,.1f} req/s)")
    print(
        f"load average {report['load_average_at_start'][0]} at start, "
        f"{report['load_average_at_end'][0]} at end; 100 MB file: {report['file_100mb']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_arguments(parser, DATABASE)
    parser.add_argument("--searches", type=int, default=300)
    parser.set_defaults(duration=10, warmup=2)
    args = harness.checked(parser.parse_args())
    database_url = harness.database_url(args.database)
    storage = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    big = storage / "big.png"
    try:
        if args.reuse_db:
            mou_id = _seeded_mou(database_url)
        else:
            harness.log(f"creating {args.database} and seeding {DOCUMENTS:,} documents")
            harness.recreate_database(args.database)
            started = time.monotonic()
            mou_id = _seed(database_url)
            harness.log(f"seeded in {time.monotonic() - started:.0f} s")
        store = {"DOCUMENT_STORAGE_PATH": str(storage / "store")}
        with harness.served(database_url, args, store) as served:
            report = _measure(args, served, mou_id, big)
        (harness.RESULTS / "documents.json").write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
        _print_summary(report)
    finally:
        big.unlink(missing_ok=True)
        subprocess.run(["rm", "-rf", str(storage)], check=False)  # noqa: S603, S607
        if not args.keep_db:
            harness.drop_database(args.database)
        harness.log("done")


def _measure(args, served, mou_id: int, big: Path) -> dict:
    """Search on one connection and with 8, then the 100 MB file up and down."""
    portal_port, hello_port = served.portal, served.hello
    cookie = harness.log_in(portal_port, MEMBER, PASSWORD)

    paths = _search_paths(args.searches)
    searches = [SEARCH_PATH % path for path in paths]
    harness.one_connection(portal_port, cookie, searches[:20])  # the workers warmed up
    search = harness.one_connection(portal_port, cookie, searches)
    hello = harness.one_connection(hello_port, cookie, [HELLO_PATH % p for p in paths])
    search["p95_ratio_to_hello"] = round(search["p95_ms"] / hello["p95_ms"], 1)
    harness.log(f"search, one connection: {search}")
    harness.log(f"bare hello, one connection: {hello}")
    note = f"{len(paths)} searches (as above) over {DOCUMENTS:,} documents"
    targets = [
        harness.Target("hello", "bare Flask hello (first)", hello_port, HELLO_PATH, paths, note),
        harness.Target("search", "document search", portal_port, SEARCH_PATH, paths, note),
        harness.Target("hello_end", "bare Flask hello (last)", hello_port, HELLO_PATH, paths, note),
    ]
    rates = [harness.measure(t, cookie, args, args.loadgen) for t in targets]
    bare_rps = (rates[0]["rps"] + rates[2]["rps"]) / 2
    rates[1]["ratio"] = round(rates[1]["rps"] / bare_rps, 4)

    with big.open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        for _ in range(UPLOAD_BYTES // (1024 * 1024)):
            handle.write(os.urandom(1024 * 1024))
        handle.write(os.urandom(UPLOAD_BYTES - handle.tell()))
    workers = _workers(served.portal_pid)
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
    harness.log(f"100 MB file: {files}")
    return {
        "search_sequential": search,
        "hello_sequential": hello,
        "search_rates": rates,
        "file_100mb": files,
        "load_average_at_start": [round(x, 2) for x in harness.LOAD_AT_START],
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


if __name__ == "__main__":
    main()
