"""`make bench` (notifications): invite 500 people to a meeting, then drain the outbox.

On a throw-away PostgreSQL database (`portal_bench_notifications`, dropped at the end):

1. migrate, load the demo data, and add 500 members to the Chile–UK working group;
2. serve the portal (wsgi:app, production settings, gunicorn 2 sync workers) and log in as
   the Chilean coordinator;
3. schedule ROUNDS meetings of that group through the form: each POST invites the group's
   504 people and queues 504 mails with their .ics (the mails are only queued, so the
   target is < 200 ms per request);
4. start a local aiosmtpd sink and two `flask outbox work --once` processes; report the
   rate at which the outbox drains (target >= 200 mails/s), counted from the rows' sent_at
   and from the processes' wall time (which includes starting Python and the app).

Run alone: `.venv/bin/python bench/notifications.py`.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import harness
from bench.harness import (
    RESULTS,
    ROOT,
    SERVER_URL,
    free_port,
    gunicorn,
    log,
    log_in,
    portal_env,
    request,
    stop,
    wait_until_serving,
)

DATABASE = "portal_bench_notifications"
WARM_UP_ROUNDS = 4
PEOPLE = 500
COORDINATOR = "coordinator.cl@demo.portal"
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # noqa: S105 - a throw-away database
GROUP = "Binational Working Group"


def _flask(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", *args]
    return subprocess.run(  # noqa: S603
        command, cwd=ROOT, env={**env, "FLASK_APP": "wsgi.py"}, check=True, **kwargs
    )


def seed_people(password: str) -> int:
    """(run in a subprocess with DATABASE_URL set) 500 members in the Chile–UK group."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from portal import create_app
    from portal.accounts.models import Party, Role, User
    from portal.accounts.passwords import hash_password
    from portal.core.extensions import db
    from portal.mous.models import Membership, WorkingGroup

    app = create_app()
    with app.app_context():
        group = db.session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == GROUP))
        parties = {p.code: p for p in db.session.scalars(select(Party))}
        password_hash = hash_password(password)
        for n in range(PEOPLE):
            party = parties["CL" if n % 2 else "GB"]
            user = User(
                email=f"bench.person{n}@demo.portal",
                name=f"Bench Person {n}",
                password_hash=password_hash,
                role=Role.MEMBER,
                party=party,
                language=party.language,
                timezone=party.timezone,
            )
            group.memberships.append(Membership(user=user, is_co_chair=False))
        db.session.commit()
        return group.id


def _form_token(port: int, cookie: str, path: str) -> str:
    status, _, body = request(port, "GET", path, {"Cookie": cookie})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    if status != 200 or token is None:
        raise SystemExit(f"{path} answered {status} without a form")
    return token.group(1).decode()


def _schedule(port: int, cookie: str, group_id: int, day: int) -> float:
    """POST the new-meeting form once; return the request's duration in milliseconds."""
    path = f"/working-groups/{group_id}/meetings/new"
    start = (datetime.now(UTC) + timedelta(days=30 + day)).strftime("%Y-%m-%dT10:00")
    end = start.replace("T10:00", "T11:30")
    form = urllib.parse.urlencode(
        {
            "csrf_token": _form_token(port, cookie, path),
            "title_en": f"Bench meeting {day}",
            "title_es": f"Reunión de prueba {day}",
            "start_local": start,
            "end_local": end,
            "timezone": "America/Santiago",
            "tlp": "amber",
            "repeat": "none",
        }
    )
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # a loaded machine
    try:
        began = time.perf_counter()
        connection.request("POST", path, body=form, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - began) * 1000
        status = response.status
    finally:
        connection.close()
    if status != 302:
        raise SystemExit(f"scheduling answered HTTP {status}")
    return elapsed


def _bare_request_ms(port: int, requests: int = 300) -> float:
    """Mean time of a GET of the bare route, one request per connection like the POSTs."""
    began = time.perf_counter()
    for n in range(requests):
        status, _, _ = request(port, "GET", f"/?n={n}")
        if status != 200:
            raise SystemExit(f"the bare route answered HTTP {status}")
    return (time.perf_counter() - began) * 1000 / requests


def _count(database_url: str, where: str = "") -> int:
    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        return connection.execute(f"SELECT count(*) FROM outbox_messages {where}").fetchone()[0]  # noqa: S608


def _sent_span(database_url: str) -> float:
    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        first, last = connection.execute(
            "SELECT min(sent_at), max(sent_at) FROM outbox_messages WHERE status = 'sent'"
        ).fetchone()
    return (last - first).total_seconds()


def _drain(env: dict, database_url: str, workers: int) -> dict:
    port = free_port()
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"],
        cwd=ROOT,
    )  # fmt: skip
    try:
        time.sleep(1.0)
        mail_env = {**env, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(port),
                    "MAIL_USE_TLS": "false", "OUTBOX_BATCH_SIZE": "50"}  # fmt: skip
        queued = _count(database_url, "WHERE status = 'pending'")
        began = time.perf_counter()
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "flask", "outbox", "work", "--once"],
                cwd=ROOT,
                env={**mail_env, "FLASK_APP": "wsgi.py"},
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(workers)
        ]
        outputs = [process.communicate(timeout=600)[0].strip() for process in processes]
        wall = time.perf_counter() - began
    finally:
        sink.terminate()
        sink.wait()
    sent = _count(database_url, "WHERE status = 'sent'")
    span = _sent_span(database_url)
    return {
        "queued": queued,
        "sent": sent,
        "workers": workers,
        "worker_outputs": outputs,
        "wall_seconds": round(wall, 2),
        "mails_per_second_wall": round(sent / wall, 1),
        "sending_seconds": round(span, 2),
        "mails_per_second_sending": round(sent / span, 1) if span else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10, help="meetings timed (504 mails each)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed-people", metavar="PASSWORD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_people:
        print(seed_people(args.seed_people))
        return

    password = "bench-notifications-2026"  # noqa: S105 - a throw-away database
    database_url = f"{SERVER_URL.replace('postgresql://', 'postgresql+psycopg://')}/{DATABASE}"
    env = portal_env(database_url)
    env["PORTAL_DEMO_PASSWORD"] = password
    env["PORTAL_DEMO_TOTP_SECRET"] = TOTP_SECRET  # the coordinator's authenticator key
    dev_env = {**env, "PORTAL_CONFIG": "development"}
    server = hello = None
    load_at_start = os.getloadavg()
    try:
        log(f"creating the database {DATABASE}")
        harness.recreate_database(DATABASE)
        _flask(["db", "upgrade"], dev_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _flask(["seed-demo"], dev_env, stdout=subprocess.DEVNULL)
        seeded = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--seed-people", password],
            cwd=ROOT, env=dev_env, capture_output=True, text=True,
        )  # fmt: skip
        if seeded.returncode:
            raise SystemExit(seeded.stderr)
        group_id = int(seeded.stdout.split()[-1])
        port = free_port()
        RESULTS.mkdir(parents=True, exist_ok=True)
        server = gunicorn("wsgi:app", port, env, None)
        hello_port = free_port()
        hello = gunicorn("bench.hello:app", hello_port, dict(os.environ), None)
        wait_until_serving(port, "/auth/login", [server])
        wait_until_serving(hello_port, "/", [hello])
        cookie = log_in(port, COORDINATOR, password, TOTP_SECRET)
        log(f"scheduling {args.rounds} meetings of {PEOPLE + 4} invitees each")
        # Warm-up, not counted: enough requests that each gunicorn worker has served some
        # (one alone left the other worker cold for the first timed request).
        for day in range(-WARM_UP_ROUNDS, 0):
            _schedule(port, cookie, group_id, day)
        bare_before = _bare_request_ms(hello_port)
        timings = [_schedule(port, cookie, group_id, day) for day in range(args.rounds)]
        bare_ms = (bare_before + _bare_request_ms(hello_port)) / 2
        for process in (server, hello):
            stop(process)
        server = hello = None
        invite = {
            "invitees": PEOPLE + 4,
            "rounds": args.rounds,
            "ms_each": [round(t, 1) for t in timings],
            "mean_ms": round(statistics.mean(timings), 1),
            "median_ms": round(statistics.median(timings), 1),
            "max_ms": round(max(timings), 1),
            "bare_route_ms": round(bare_ms, 2),
            "mean_in_bare_requests": round(statistics.mean(timings) / bare_ms, 1),
        }
        log(f"invite: {invite}")
        drain = _drain(env, database_url, args.workers)
        log(f"drain: {drain}")
        load = {"at_start": load_at_start, "at_end": os.getloadavg()}
        log(f"load average (1, 5, 15 min): {load}")
        (RESULTS / "notifications.json").write_text(
            json.dumps({"invite": invite, "drain": drain, "load_average": load}, indent=2)
        )
    finally:
        for process in (server, hello):
            if process is not None:
                stop(process)
        harness.drop_database(DATABASE)


if __name__ == "__main__":
    main()
