"""Bench of the implementation report: the Chile–Colombia MoU's report over its whole history,
next to the bare Flask route, in the same run.

Same method as bench/run.py (whose helpers this reuses; see shared/PERFORMANCE.md): a
throw-away PostgreSQL database (`portal_bench_report`, dropped at the end), seeded with the
meetings and documents of bench/seed.py and the action items of bench/actions.py, gunicorn
with 2 sync workers for the portal and for bench/hello.py, logged in as the demo member.

The report is computed on every request (nothing of it is kept), so two figures say what it
costs: the first computation (the first request a fresh worker answers, then the median of
ten more, one at a time) and the rate under load (8 connections, warm-up then a bounded run)
divided by the bare route's. The seeding is one function (`seed`), kept apart so that a new
bench seeder replaces it in one place.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import actions as bench_actions  # noqa: E402  (bench/actions.py: COPY of action items)
import psycopg  # noqa: E402
import run as bench  # noqa: E402  (bench/run.py: servers, login, load generator)

DATABASE = "portal_bench_report"
MEMBER = "member.cl@demo.portal"
PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "demo-portal-2026")
COLOMBIA = "%between Chile and Colombia"
FIRST_REQUESTS = 10


def seed(database_url: str, meetings: int, documents: int, items: int) -> dict:
    """The demo data, `meetings` meetings and `documents` documents (bench/seed.py, over the
    member's groups: the Chile–UK and the Chile–Colombia ones), `items` action items
    (bench/actions.py, over every group); returns the Chile–Colombia MoU's id and counts."""
    targets = bench.RESULTS / "report-targets.json"
    command = [sys.executable, "bench/seed.py", "--out", str(targets)]
    scale = ["--meetings", str(meetings), "--documents", str(documents)]
    bench._run([*command, *scale], database_url)
    bench_actions.DATABASE = DATABASE  # its COPY goes to this run's database
    bench_actions.seed(items)
    with psycopg.connect(f"{bench.SERVER_URL}/{DATABASE}") as connection:
        mou = connection.execute("SELECT id FROM mous WHERE title_en LIKE %s", (COLOMBIA,))
        mou_id = mou.fetchone()[0]
        counts = {
            table: connection.execute(
                f"SELECT count(*) FROM {table} t JOIN working_groups g "  # noqa: S608
                "ON g.id = t.working_group_id WHERE g.mou_id = %s",
                (mou_id,),
            ).fetchone()[0]
            for table in ("meetings", "action_items")  # constants, never input
        }
        counts["documents"] = connection.execute(
            "SELECT count(*) FROM documents WHERE mou_id = %s", (mou_id,)
        ).fetchone()[0]
    return {"mou_id": mou_id, "in_the_mou": counts}


def first_computations(port: int, cookie: str, path: str) -> dict:
    """The first request's time, then the median of FIRST_REQUESTS more, one at a time."""
    times = []
    for _ in range(FIRST_REQUESTS + 1):
        started = time.perf_counter()
        status, _headers, _body = bench._request(port, "GET", path, {"Cookie": cookie})
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered HTTP {status}")
    return {
        "first_ms": round(times[0], 1),
        "median_ms": round(statistics.median(times[1:]), 1),
        "max_ms": round(max(times[1:]), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=bench_actions.ITEMS)
    parser.add_argument("--loadgen", choices=("wrk", "python"), default="wrk")
    parser.add_argument(
        "--keep-db", action="store_true", help=f"leave the {DATABASE} database for profiling"
    )
    args = parser.parse_args()
    args.app_root = ROOT
    started = time.monotonic()
    bench.RESULTS.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    database_url = (
        f"{bench.SERVER_URL.replace('postgresql://', 'postgresql+psycopg://')}/{DATABASE}"
    )
    servers: list[subprocess.Popen] = []
    try:
        bench._log(
            f"creating {DATABASE}: {args.meetings:,} meetings, {args.documents:,} documents, "
            f"{args.items:,} action items"
        )
        bench.recreate_database(DATABASE)
        bench._run([sys.executable, "-m", "flask", "db", "upgrade"], database_url, quiet=True)
        seeded = seed(database_url, args.meetings, args.documents, args.items)
        bench._log(f"seeded {seeded}")
        portal_port, hello_port = bench._free_port(), bench._free_port()
        servers.append(
            bench._gunicorn("wsgi:app", portal_port, bench._portal_env(database_url), args)
        )
        servers.append(bench._gunicorn("bench.hello:app", hello_port, dict(os.environ), None))
        bench._wait_until_serving(hello_port, "/", servers)
        bench._wait_until_serving(portal_port, "/auth/login", servers)
        cookie = bench._log_in(portal_port, MEMBER, PASSWORD)
        # The MoU has no date of signature: its report covers its whole history by default.
        path = f"/mous/{seeded['mou_id']}/report"
        first = first_computations(portal_port, cookie, path)
        bench._log(f"first computation: {first}")
        values = [str(n) for n in range(100)]
        note = f"the Chile–Colombia MoU, whole history: {seeded['in_the_mou']}"
        targets = [
            bench.Target("hello", "bare Flask hello (first)", hello_port, "/?n=%s", values, note),
            bench.Target(
                "report", "MoU report, whole history", portal_port, path + "?n=%s", values, note
            ),
            bench.Target("hello_end", "bare Flask hello (last)", hello_port, "/?n=%s", values),
        ]
        results = [bench._measure(target, cookie, args, args.loadgen) for target in targets]
        hello = (results[0]["rps"] + results[-1]["rps"]) / 2
        for result in results:
            result["ratio"] = round(result["rps"] / hello, 4)
        report = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "seeded": {
                "meetings": args.meetings,
                "documents": args.documents,
                "action_items": args.items,
                **seeded,
            },
            "workers": f"{bench.WORKERS} {bench.WORKER_CLASS}",
            "load_at_start": bench.LOAD_AT_START,
            "first_computation": first,
            "results": results,
        }
        (bench.RESULTS / "report.json").write_text(json.dumps(report, indent=2) + "\n")
        print(
            f"report, first computation {first['first_ms']} ms, then median "
            f"{first['median_ms']} ms (target < 300 ms)"
        )
        print(f"{'target':36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>7}")
        for r in results:
            print(
                f"{r['label']:36} {r['rps']:9.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
                f"{r['errors']:7d} {r['ratio']:7.3f}"
            )
    finally:
        for server in servers:
            bench._stop(server)
        if not args.keep_db:
            bench.drop_database(DATABASE)
        bench._log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
