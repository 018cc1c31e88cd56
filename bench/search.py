"""Search latency per query and role, in one process (issue #16: p95 under 50 ms on one
connection at full scale), with what to look at when it is not.

    DATABASE_URL=postgresql+psycopg://.../portal_big_x .venv/bin/python bench/search.py
        [--repeats 10] [--roles member coordinator] [--queries training ...]
        [--explain "training"] [--profile "training"]

The portal (production settings) is called through Flask's test client, logged in through
/auth/login as the demo member and the demo coordinator (with the code step), so the figures
are the server's time for a request, without HTTP or queueing (bench/run.py times search
through gunicorn as well). Each query of bench/pages.py's SEARCHES, first page and second,
is requested once to warm up, then `--repeats` times in turn; p50 and p95 per query and
role, and over all of a role's requests. `--explain` prints EXPLAIN (ANALYZE, BUFFERS) of
every statement one search runs; `--profile` a pyinstrument profile of one search (install
pyinstrument into the venv first).
"""

import argparse
import os
import re
import secrets
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("PORTAL_CONFIG", "production")
os.environ.setdefault("SECRET_KEY", secrets.token_hex(32))
os.environ.setdefault("TRUSTED_HOSTS", "localhost")

from bench.harness import percentile  # noqa: E402
from bench.pages import ROLES, SEARCHES  # noqa: E402
from bench.run import PASSWORD, TOTP_SECRET  # noqa: E402

PAGES = ("", "&page=2")


def log_in(client, email: str) -> None:
    """The login form (and the code step for coordinators), as bench/harness.py log_in."""
    import pyotp

    token = _form_token(client.get("/auth/login").data)
    answer = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    if answer.status_code != 302:
        raise SystemExit(f"logging in as {email} failed (HTTP {answer.status_code})")
    if answer.headers["Location"].endswith("/auth/second-factor"):
        for _ in range(2):  # a code is taken once: a run right after another waits for the next
            token = _form_token(client.get("/auth/second-factor").data)
            code = pyotp.TOTP(TOTP_SECRET).now()
            answer = client.post("/auth/second-factor", data={"code": code, "csrf_token": token})
            if answer.status_code == 302:
                break
            time.sleep(30 - time.time() % 30 + 1)
        if answer.status_code != 302:
            raise SystemExit(f"the code step for {email} failed (HTTP {answer.status_code})")
    client.get("/")


def _form_token(body: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()


def path_of(query: str, page: str = "") -> str:
    return "/search?" + urllib.parse.urlencode({"q": query}) + page


def timed(client, path: str) -> float:
    begun = time.perf_counter()
    answer = client.get(path)
    elapsed = (time.perf_counter() - begun) * 1000
    if answer.status_code != 200:
        raise SystemExit(f"GET {path} answered HTTP {answer.status_code}")
    return elapsed


def measure(clients: dict, queries: list[str], repeats: int) -> None:
    for role, client in clients.items():
        every = []
        print(f"\n{role}: {repeats} requests per line, ms")
        print(f"{'query':<28} {'page':>4} {'p50':>8} {'p95':>8} {'max':>8}")
        for query in queries:
            for page in PAGES:
                timed(client, path_of(query, page))
                times = [timed(client, path_of(query, page)) for _ in range(repeats)]
                every.extend(times)
                print(
                    f"{query:<28} {page[-1:] or '1':>4} {percentile(times, 50):8.1f} "
                    f"{percentile(times, 95):8.1f} {max(times):8.1f}"
                )
        print(
            f"{role} over all {len(every)} requests: p50 {percentile(every, 50):.1f} ms, "
            f"p95 {percentile(every, 95):.1f} ms, max {max(every):.1f} ms"
        )


def explain(app, client, query: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every statement one search runs."""
    from sqlalchemy import event, text

    from portal.core.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        client.get(path_of(query))
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        for statement, parameters in statements:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            plan = raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).fetchall()
            print("\n" + statement[:300].replace("\n", " "))
            print("\n".join(row[0] for row in plan))
        connection.execute(text("SELECT 1"))
    print(f"\n{len(statements)} statements")


def profile(client, query: str) -> None:
    from pyinstrument import Profiler

    timed(client, path_of(query))
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(5):
            client.get(path_of(query))
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--roles", nargs="+", choices=list(ROLES), default=list(ROLES))
    parser.add_argument("--queries", nargs="+", default=SEARCHES)
    parser.add_argument("--explain", metavar="QUERY", help="EXPLAIN every statement of one search")
    parser.add_argument("--profile", metavar="QUERY", help="pyinstrument profile of one search")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to the full-scale database")

    from portal import create_app

    app = create_app()
    clients = {}
    for role in args.roles:
        clients[role] = app.test_client()
        clients[role].environ_base.update(
            {
                "wsgi.url_scheme": "https",
                "HTTP_HOST": "localhost",
                "HTTP_REFERER": "https://localhost/",
            }
        )
        log_in(clients[role], ROLES[role])
    if args.explain:
        for role, client in clients.items():
            print(f"\n==== {role}: {args.explain}")
            explain(app, client, args.explain)
    elif args.profile:
        for role, client in clients.items():
            print(f"\n==== {role}: {args.profile}")
            profile(client, args.profile)
    else:
        measure(clients, args.queries, args.repeats)


if __name__ == "__main__":
    main()
