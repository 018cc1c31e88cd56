"""Search over everything: p95 of /search over 10,000 documents and 20,000 meetings with
agenda items and minutes (target p95 < 50 ms on PostgreSQL), and its rate next to the bare
route's.

Standalone, on its own throw-away PostgreSQL database (`portal_bench_search`, dropped at the
end): migrate, then bench/seed.py's meetings (each with 5 agenda items and ~3 KB of minutes,
written with COPY, so their search terms are written here too, folded and stemmed by the
portal's own `terms_of`), then bench/documents.py's documents. `--scale` multiplies both
counts (1 = the full size; the lead runs it; 0.02 checks the script in a minute on a shared
machine). Queries are bench/documents.py's: one to three words as people type them, Spanish
or English, some with a rarer word, mostly the first page, some pages 2–5; about one in four
narrowed to one kind. Measured as bench/documents.py measures: one connection for p50/p95/p99
next to the bare hello route, then the rate with 8 connections (wrk or Python).
"""

import argparse
import json
import os
import random
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import documents, run  # noqa: E402

DATABASE = "portal_bench_search"
KINDS = ("document", "meeting", "agenda_item", "minutes", "action_item", "training")
SEARCH_PATH = "/search?%s"
HELLO_PATH = "/?%s"


def _seed(database_url: str, scale: float) -> dict:
    run._run([sys.executable, "-m", "flask", "db", "upgrade"], database_url, quiet=True)
    os.environ.update(DATABASE_URL=database_url)
    from bench import seed as meetings_seed
    from portal import create_app
    from portal.core.extensions import db

    meetings = max(1, int(meetings_seed.MEETINGS * scale))
    app = create_app()
    with app.app_context():
        summary = meetings_seed.seed(meetings)
        entries = _meeting_entries(db.session)
        db.session.commit()
        db.session.close()
        db.engine.dispose()
    documents.DOCUMENTS = max(1, int(10_000 * scale))
    documents._seed(database_url)  # its seed-demo adds nothing: the demo is there already
    return {"meetings": summary["meetings"], "documents": documents.DOCUMENTS, **entries}


def _meeting_entries(session) -> dict:
    """The search terms of the meetings, agenda items and minutes written past the ORM."""
    from functools import lru_cache

    from sqlalchemy import text

    from portal.core.search import terms_of

    cached = lru_cache(maxsize=4096)(terms_of)
    statements = {
        "meeting": "SELECT id, title_en, title_es, place, description_md FROM meetings",
        "agenda_item": "SELECT id, title, presenter FROM agenda_items",
        "minutes": "SELECT id, body_md FROM minutes",
    }
    existing = {
        (kind, object_id)
        for kind, object_id in session.execute(text("SELECT kind, object_id FROM search_entries"))
    }
    cursor = session.connection().connection.driver_connection.cursor()
    counts = {}
    for kind, statement in statements.items():
        rows = session.execute(text(statement)).all()
        fresh = [row for row in rows if (kind, row[0]) not in existing]
        with cursor.copy("COPY search_entries (kind, object_id, terms) FROM STDIN") as copy:
            for row in fresh:
                copy.write_row((kind, row[0], cached("\n".join(v or "" for v in row[1:]))))
        counts[f"{kind}_entries"] = len(rows)
    return counts


def _search_paths(count: int) -> list[str]:
    """bench/documents.py's queries, about one in four narrowed to one kind."""
    rng = random.Random(11)  # noqa: S311 - test data
    paths = []
    for path in documents._search_paths(count):
        args = dict(urllib.parse.parse_qsl(path))
        if rng.random() < 0.25:
            args["kind"] = rng.choice(KINDS)
        paths.append(urllib.parse.urlencode(args))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 10,000 documents and "
                        "20,000 meetings; 0.02 checks the script")  # fmt: skip
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--loadgen", choices=("wrk", "python"), default="wrk")
    parser.add_argument("--database", default=DATABASE, help="throw-away database's name")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for profiling")
    parser.add_argument(
        "--reuse-db", action="store_true", help="use an already seeded --database as it is"
    )
    args = parser.parse_args()
    args.app_root = ROOT
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    server_url = run.SERVER_URL.replace("postgresql://", "postgresql+psycopg://")
    database_url = f"{server_url}/{args.database}"
    servers = []
    try:
        seeded = {}
        if not args.reuse_db:
            run._log(f"creating {args.database} and seeding at scale {args.scale}")
            run.recreate_database(args.database)
            started = time.monotonic()
            seeded = _seed(database_url, args.scale)
            run._log(f"seeded {seeded} in {time.monotonic() - started:.0f} s")
        portal_port, hello_port = run._free_port(), run._free_port()
        servers.append(run._gunicorn("wsgi:app", portal_port, run._portal_env(database_url), args))
        servers.append(run._gunicorn("bench.hello:app", hello_port, dict(os.environ), None))
        run._wait_until_serving(hello_port, "/", servers)
        run._wait_until_serving(portal_port, "/auth/login", servers)
        cookie = run._log_in(portal_port, documents.MEMBER, documents.PASSWORD)

        paths = _search_paths(args.searches)
        documents._latencies(portal_port, cookie, paths[:20], SEARCH_PATH)  # warm the workers
        search = documents._latencies(portal_port, cookie, paths, SEARCH_PATH)
        hello = documents._latencies(hello_port, cookie, paths, HELLO_PATH)
        search["p95_ratio_to_hello"] = round(search["p95_ms"] / hello["p95_ms"], 1)
        search["p95_under_50_ms"] = search["p95_ms"] < 50
        run._log(f"search over everything, one connection: {search}")
        run._log(f"bare hello, one connection: {hello}")
        note = f"{len(paths)} searches over everything, scale {args.scale}"
        targets = [
            run.Target("hello", "bare Flask hello (first)", hello_port, HELLO_PATH, paths, note),
            run.Target("search", "search over everything", portal_port, SEARCH_PATH, paths,
                       note),
            run.Target("hello_end", "bare Flask hello (last)", hello_port, HELLO_PATH, paths,
                       note),
        ]  # fmt: skip
        rates = [run._measure(t, cookie, args, args.loadgen) for t in targets]
        bare_rps = (rates[0]["rps"] + rates[2]["rps"]) / 2
        rates[1]["ratio"] = round(rates[1]["rps"] / bare_rps, 4)
        report = {
            "scale": args.scale,
            "seeded": seeded,
            "search_sequential": search,
            "hello_sequential": hello,
            "search_rates": rates,
            "load_average_at_start": [round(x, 2) for x in run.LOAD_AT_START],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        }
        (run.RESULTS / "search.json").write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
        print()
        print("| | p50 | p95 | p99 | req/s (8 connections) | ratio to bare |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, sequential, rate in (
            ("search over everything", search, rates[1]),
            ("bare Flask hello", hello, rates[0]),
        ):
            print(
                f"| {label} | {sequential['p50_ms']} ms | {sequential['p95_ms']} ms "
                f"| {sequential['p99_ms']} ms | {rate['rps']:,.1f} | {rate.get('ratio', 1)} |"
            )
    finally:
        for server in servers:
            run._stop(server)
        if not args.keep_db:
            run.drop_database(args.database)
        run._log("done")


if __name__ == "__main__":
    main()
