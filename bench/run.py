"""`make bench`: every page of bench/pages.py, as a member and as a coordinator, next to a
bare Flask route served the same way in the same run.

How it measures is written down in shared/PERFORMANCE.md. In short, on a throw-away
PostgreSQL database (`portal_bench_run`, or `--database`; dropped at the end whatever
happens):

1. migrate it and seed ten years of a large ministry (`flask --app bench.app bench-seed
   --scale S`: bench/ministry.py);
2. pick, with the portal's own access rules, the values each person's requests draw from
   (bench/pages.py: one line per page; meetings: a sample of 1,500 spread over the ten
   years), and store those meetings' readers' pages as a portal running for years has them
   (bench/render_pages.py; every one of 20,000 would take a quarter of an hour here), and
   the pages of the documents they open;
3. serve the portal (production settings) and bench/hello.py with the same gunicorn
   settings (bench/harness.py), log in once as the demo member and the demo coordinator;
4. for each page and role, a warm-up then a bounded run with 8 connections, each request
   for a random value (wrk with a Lua script); the bare route is measured the same way before
   each page and after the last, and each page's rates are divided by the mean of the two
   bare runs around it (the shared machine's speed drifts by 10 % and more within a run:
   each page is compared with the bare route of its own minutes); search is also timed on
   one connection (its p95);
5. write bench/results/results.json and results.md (the table), and print the table.

A page that answers anything but 200 (on the probes before its run, or during it) fails
the run, after the results are written.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import harness  # noqa: E402
from bench.pages import PAGES, ROLES  # noqa: E402

DATABASE = "portal_bench_run"
PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "demo-portal-2026")
# The demo coordinators' authenticator key in the throw-away database (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  (demo accounts, dropped after)
PROBES = 20  # values of each page requested one by one before its run: all must be 200
SEARCH_SEQUENTIAL = 100  # searches timed one after the other for the p95
API_PAGES_WALKED = 200  # later pages of an API list whose cursors the run draws from


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    harness.add_arguments(parser, DATABASE)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the full ministry")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help="measure only these pages")
    parser.add_argument("--roles", nargs="+", choices=list(ROLES), default=list(ROLES))
    args = harness.checked(parser.parse_args())
    started = time.monotonic()
    database_url = harness.database_url(args.database)
    targets_file = harness.RESULTS / "targets.json"
    try:
        if not (args.reuse_db and targets_file.exists() and harness.database_exists(args.database)):
            _seed(args, database_url, targets_file)
        data = json.loads(targets_file.read_text())
        with harness.served(database_url, args) as served:
            portal_port, hello_port = served.portal, served.hello
            cookies = {
                "member": harness.log_in(portal_port, ROLES["member"], PASSWORD),
                "coordinator": harness.log_in(
                    portal_port, ROLES["coordinator"], PASSWORD, TOTP_SECRET
                ),
            }
            harness.log(f"logged in as {', '.join(ROLES.values())}; load: {args.loadgen}")
            tokens = {role: harness.api_token(portal_port, c) for role, c in cookies.items()}
            _add_api_cursors(data, tokens, portal_port)
            credentials = {"cookie": cookies, "token": tokens}
            results, failures = _measure_all(args, data, credentials, portal_port, hello_port)
            search = _search_latency(data, cookies, portal_port, hello_port)
        report = _report(results, search, data, args, started)
        (harness.RESULTS / "results.json").write_text(json.dumps(report, indent=2) + "\n")
        table = _table(report)
        (harness.RESULTS / "results.md").write_text(table)
        print(table)
        if failures:
            raise SystemExit("FAILED: " + "; ".join(failures))
    finally:
        if not args.keep_db:
            harness.drop_database(args.database)
        harness.log(f"done in {time.monotonic() - started:.0f} s")


def _seed(args, database_url: str, targets_file: Path) -> None:
    harness.log(f"creating the database {args.database}")
    harness.recreate_database(args.database)
    flask = [sys.executable, "-m", "flask", "--app", "bench.app"]
    harness.run_command([*flask, "db", "upgrade"], database_url, quiet=True)
    harness.log(f"seeding at scale {args.scale:g} (flask bench-seed)")
    begun = time.monotonic()
    seed = [*flask, "bench-seed", "--scale", str(args.scale), "--password", PASSWORD]
    harness.run_command([*seed, "--totp-secret", TOTP_SECRET], database_url)
    seconds = round(time.monotonic() - begun)
    harness.log("picking each person's values (bench/pages.py)")
    picker = [sys.executable, "-c", "from bench.pages import main; main()", str(targets_file)]
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(picker, cwd=ROOT, env=env, check=True)  # noqa: S603
    harness.log("storing the picked meetings' and documents' pages (bench/render_pages.py)")
    render = [sys.executable, "bench/render_pages.py", "--targets", str(targets_file)]
    harness.run_command(render, database_url)
    data = json.loads(targets_file.read_text())
    data.update(scale=args.scale, seed_seconds=seconds)
    targets_file.write_text(json.dumps(data))


def _add_api_cursors(data, tokens: dict[str, str], port: int) -> None:
    """The API pages' values: besides the first pages, the cursors of later pages, walked
    from the first as a client does (only the running portal signs them)."""
    for page in PAGES:
        if not page.by_token:
            continue
        for role, token in tokens.items():
            values = data["values"][role][page.name]
            first = values[0]
            cursor = None
            for _ in range(API_PAGES_WALKED):
                query = first + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
                status, _, body = harness.request(
                    port, "GET", page.path % query, harness.credential_headers(token)
                )
                if status != 200:
                    raise SystemExit(f"{page.name}: GET {page.path % query} answered {status}")
                cursor = json.loads(body).get("next_cursor")
                if not cursor:
                    break
                values.append(f"{first}&cursor={urllib.parse.quote(cursor)}")


def _measure_all(args, data, credentials, portal_port, hello_port) -> tuple[list[dict], list[str]]:
    """Every page and role, each page between two runs of the bare route (results in the
    order run, the bare route's marked "bare")."""
    cookies = credentials["cookie"]
    numbers = [str(n) for n in range(1000)]

    def bare(n: int, where: str) -> tuple:
        label = f"bare Flask hello ({where})"
        target = harness.Target(f"hello.{n}", label, hello_port, "/?n=%s", numbers)
        return (target, cookies["member"], "")

    targets = []
    for page in PAGES:
        if args.only and page.name not in args.only:
            continue
        targets.append(bare(len(targets), f"before {page.name}"))
        for role in args.roles:
            if role not in page.roles:
                continue
            values = data["values"][role][page.name]
            note = f"{len(values):,} values"
            target = harness.Target(
                f"{page.name}.{role}", page.label, portal_port, page.path, values, note
            )
            credential = credentials["token" if page.by_token else "cookie"][role]
            targets.append((target, credential, role))
    targets.append(bare(len(targets), "last"))
    results, failures = [], []
    for target, credential, role in targets:
        refused = _probe(target, credential)
        if refused:
            failures.append(refused)
            harness.log(f"FAIL {refused}")
            continue
        result = harness.measure(target, credential, args, args.loadgen)
        result["role"], result["bare"] = role, not role
        results.append(result)
        if result["errors"] or "warning" in result:
            failures.append(f"{target.name}: {result['errors']} errors {result.get('warning', '')}")
    return results, failures


def _with_ratios(results: list[dict]) -> list[dict]:
    """Each page's ratio to the mean of the bare runs before and after it."""
    bare_at = [i for i, result in enumerate(results) if result["bare"]]
    for i, result in enumerate(results):
        if result["bare"]:
            continue
        before = max((b for b in bare_at if b < i), default=None)
        after = min((b for b in bare_at if b > i), default=None)
        around = [results[b]["rps"] for b in (before, after) if b is not None]
        result["bare_rps"] = round(sum(around) / len(around), 1)
        result["ratio"] = round(result["rps"] / result["bare_rps"], 4)
    return [result for result in results if not result["bare"]]


def _probe(target: harness.Target, cookie: str) -> str | None:
    """Request a sample of the target's values one by one: the first not 200, if any."""
    rng = random.Random(target.name)  # noqa: S311
    for value in rng.sample(target.values, min(PROBES, len(target.values))):
        path = target.template % value
        status, _, _ = harness.request(target.port, "GET", path, harness.credential_headers(cookie))
        if status != 200:
            return f"{target.name}: GET {path} answered HTTP {status}"
    return None


def _search_latency(data, cookies: dict, portal_port: int, hello_port: int) -> dict:
    """Search timed one request after another (the #16 target is its p95), beside the bare
    route's, as each person (bench/search.py breaks it down per query, in one process)."""
    timed = {}
    for role, cookie in cookies.items():
        rng = random.Random(16)  # noqa: S311
        values = data["values"].get(role, {}).get("search")
        if not values:
            continue
        paths = ["/search?" + rng.choice(values) for _ in range(SEARCH_SEQUENTIAL)]
        timed[role] = harness.one_connection(portal_port, cookie, paths)
    hello = ["/?" + urllib.parse.urlencode({"n": n}) for n in range(SEARCH_SEQUENTIAL)]
    bare = harness.one_connection(hello_port, next(iter(cookies.values())), hello)
    harness.log(f"search, one connection: {timed}; bare route: {bare}")
    return {"search": timed, "hello": bare}


def _report(results, search, data, args, started) -> dict:
    hellos = [r["rps"] for r in results if r["bare"]]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": harness.machine(),
        "servers": {
            "gunicorn": f"{harness.WORKERS} {harness.WORKER_CLASS} workers per app "
            "(portal and hello alike)",
            "portal": f"wsgi:app, PORTAL_CONFIG=production, from {args.app_root.resolve()}",
            "hello": "bench/hello.py",
        },
        "load": {
            "generator": args.loadgen,
            "connections": args.connections,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "people": ROLES,
        },
        "data": {"scale": data.get("scale"), "seed_seconds": data.get("seed_seconds")}
        | data["counts"],
        "bare_runs_rps": hellos,
        "search_one_connection": search,
        "results": _with_ratios(results),
        "elapsed_s": round(time.monotonic() - started),
    }


def _table(report: dict) -> str:
    load, machine = report["load"], report["machine"]
    search = report["search_one_connection"]
    lines = [
        f"Scale {report['data']['scale']:g} (seeded in {report['data']['seed_seconds']} s): "
        + ", ".join(f"{v:,} {k}" for k, v in report["data"].items() if isinstance(v, int)
                    and k != "seed_seconds"),
        f"gunicorn {report['servers']['gunicorn']}; {load['generator']}, "
        f"{load['connections']} connections, {load['warmup_s']} s warm-up + "
        f"{load['duration_s']} s per target; the bare route run before each page and after "
        f"the last: {min(report['bare_runs_rps']):,.0f} to {max(report['bare_runs_rps']):,.0f} "
        "req/s",
        f"{machine['cpus']} CPUs, load average {machine['load_average_at_start'][0]} at start, "
        f"{machine['load_average_at_end'][0]} at end",
        "search on one connection: "
        + "; ".join(
            f"{role} p50 {t['p50_ms']} ms, p95 {t['p95_ms']} ms, p99 {t['p99_ms']} ms"
            for role, t in search["search"].items()
        )
        + f" (bare route p95 {search['hello']['p95_ms']} ms)",
        "",
        "| page | role | req/s | p50 | p99 | errors | bare route around it | ratio to bare |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]  # fmt: skip
    for r in report["results"]:
        lines.append(
            f"| {r['label']} | {r['role']} | {r['rps']:,.1f} | {r['p50_ms']:.1f} ms "
            f"| {r['p99_ms']:.1f} ms | {r['errors']} | {r['bare_rps']:,.0f} | {r['ratio']:.3f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
