"""Bench of the action items: 100,000 of them, the filtered list and the working-group page
(with its progress chart) next to the bare Flask route, in the same run.

Same method as bench/run.py (whose helpers this reuses; see shared/PERFORMANCE.md): a
throw-away PostgreSQL database (`portal_bench_actions`, dropped at the end), gunicorn with 2
sync workers for the portal and for bench/hello.py, logged in as the demo member, a random
working group the member may see on every request, 8 connections, warm-up then a bounded run.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import psycopg  # noqa: E402
import run as bench  # noqa: E402  (bench/run.py: servers, login, load generator)

DATABASE = "portal_bench_actions"
ITEMS = 100_000
MEMBER = "member.cl@demo.portal"
PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "demo-portal-2026")
STATUSES = ["open", "open", "in_progress", "done", "done", "done", "cancelled"]
PRIORITIES = [("low", 2), ("normal", 1), ("normal", 1), ("high", 0)]


def _flask(args: list[str], database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "FLASK_APP": "wsgi.py"}
    command = [sys.executable, "-m", "flask", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def seed(count: int) -> dict:
    """COPY `count` items over the working groups, due from 15 months ago to 3 months ahead."""
    rng = random.Random(5)  # noqa: S311  (reproducible test data)
    today = datetime.now(UTC).date()
    with psycopg.connect(f"{bench.SERVER_URL}/{DATABASE}") as connection:
        groups = connection.execute("SELECT id, mou_id FROM working_groups").fetchall()
        members = {
            group_id: [row[0] for row in connection.execute(
                "SELECT user_id FROM working_group_members WHERE working_group_id = %s",
                (group_id,),
            )]
            for group_id, _ in groups
        }  # fmt: skip
        parties = {
            mou_id: [row[0] for row in connection.execute(
                "SELECT party_id FROM mou_parties WHERE mou_id = %s", (mou_id,)
            )]
            for _, mou_id in groups
        }  # fmt: skip
        groups = [(g, m) for g, m in groups if members[g]]
        first_id = connection.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM action_items"
        ).fetchone()[0]
        now = datetime.now(UTC)
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY action_items (id, working_group_id, responsible_party_id, title, "
                "description_md, description_html, due_on, priority, priority_rank, status, "
                "cancel_reason, completed_on, created_at, updated_at) FROM STDIN"
            ) as copy:
                owners = []
                for item_id in range(first_id, first_id + count):
                    group_id, mou_id = rng.choice(groups)
                    due = today + timedelta(days=rng.randint(-450, 90))
                    status = rng.choice(STATUSES)
                    priority, rank = rng.choice(PRIORITIES)
                    completed = (
                        due + timedelta(days=rng.randint(-20, 15)) if status == "done" else None
                    )
                    copy.write_row((
                        item_id, group_id, rng.choice(parties[mou_id]), f"Action item {item_id}",
                        "Agreed follow-up.", "<p>Agreed follow-up.</p>", due, priority, rank,
                        status, "Superseded" if status == "cancelled" else "", completed, now, now,
                    ))  # fmt: skip
                    for person in rng.sample(members[group_id], min(2, len(members[group_id]))):
                        owners.append((item_id, person))
            with cursor.copy(
                "COPY action_item_owners (action_item_id, user_id) FROM STDIN"
            ) as copy:
                for row in owners:
                    copy.write_row(row)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('action_items', 'id'), %s)",
                (first_id + count - 1,),
            )
        visible = [
            row[0]
            for row in connection.execute(
                "SELECT m.working_group_id FROM working_group_members m "
                "JOIN users u ON u.id = m.user_id WHERE u.email = %s",
                (MEMBER,),
            )
        ]
    with psycopg.connect(f"{bench.SERVER_URL}/{DATABASE}", autocommit=True) as connection:
        # What autovacuum would do soon after such a load: statistics and the visibility map.
        connection.execute("VACUUM ANALYZE action_items")
        connection.execute("VACUUM ANALYZE action_item_owners")
    return {"items": count, "owners": len(owners), "groups": len(groups), "visible": visible}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--items", type=int, default=ITEMS)
    parser.add_argument("--loadgen", choices=("wrk", "python"), default="wrk")
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
        bench._log(f"creating {DATABASE}, seeding the demo data and {args.items:,} action items")
        bench.recreate_database(DATABASE)
        _flask(["db", "upgrade"], database_url)
        _flask(["seed-demo", "--password", PASSWORD], database_url)
        seeded = seed(args.items)
        bench._log(f"seeded {seeded}")
        portal_port, hello_port = bench._free_port(), bench._free_port()
        servers.append(
            bench._gunicorn("wsgi:app", portal_port, bench._portal_env(database_url), args)
        )
        servers.append(bench._gunicorn("bench.hello:app", hello_port, dict(os.environ), None))
        bench._wait_until_serving(hello_port, "/", servers)
        bench._wait_until_serving(portal_port, "/auth/login", servers)
        cookie = bench._log_in(portal_port, MEMBER, PASSWORD)
        groups = [str(g) for g in seeded["visible"]]
        note = f"{len(groups)} working groups the member sees, {args.items:,} items in all"
        targets = [
            bench.Target("hello", "bare Flask hello (first)", hello_port, "/?n=%s", groups, note),
            bench.Target(
                "actions_overdue", "action list: overdue, one group", portal_port,
                "/actions/?overdue=y&group=%s", groups, note,
            ),
            bench.Target(
                "group_page", "working-group page with chart", portal_port,
                "/working-groups/%s", groups, note,
            ),
            bench.Target(
                "hello_end", "bare Flask hello (last)", hello_port, "/?n=%s", groups, note
            ),
        ]  # fmt: skip
        results = [bench._measure(target, cookie, args, args.loadgen) for target in targets]
        hello = (results[0]["rps"] + results[-1]["rps"]) / 2
        for result in results:
            result["ratio"] = round(result["rps"] / hello, 4)
        report = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "seeded": {k: v for k, v in seeded.items() if k != "visible"},
            "workers": f"{bench.WORKERS} {bench.WORKER_CLASS}",
            "load_at_start": bench.LOAD_AT_START,
            "results": results,
        }
        (bench.RESULTS / "actions.json").write_text(json.dumps(report, indent=2) + "\n")
        print(f"{'target':36} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'ratio':>7}")
        for r in results:
            print(
                f"{r['label']:36} {r['rps']:9.1f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
                f"{r['errors']:7d} {r['ratio']:7.3f}"
            )
    finally:
        for server in servers:
            bench._stop(server)
        bench.drop_database(DATABASE)
        bench._log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
