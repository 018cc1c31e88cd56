"""`make bench` (notifications): mail 500 people at once, then drain the outbox.

On a throw-away PostgreSQL database (`portal_bench_notifications` or --database, dropped at
the end):

1. migrate, load the demo data, add 500 members to the Chile–UK working group and register
   them all for one of its MoU's upcoming trainings;
2. serve the portal (wsgi:app, production settings, gunicorn 2 sync workers) and the bare
   Flask route (bench/hello.py, served the same way), and log in as the Chilean coordinator;
3. time, through the forms, ROUNDS of each write that mails the 504 people:
   - meeting: schedule a meeting of the group (504 invitees; their 504 invitations with
     their .ics are written by the outbox worker's first step, portal/meetings/pending.py);
   - series: schedule a weekly series of 20 (504 invitees of the first occurrence; the
     worker writes the invitations with the series' .ics and the other 19 × 504 invitees);
   - training: change the training's title (504 "training changed" mails with their .ics);
   each figure is also given in requests of the bare route, measured the same way (one
   request per connection) in the same run (target: < 100 bare requests);
4. start a local aiosmtpd sink and two `flask outbox work --once` processes; report the
   rate at which the outbox drains (target >= 200 mails/s), counted from the rows' sent_at
   and from the processes' wall time (which includes starting Python and the app, and
   writing the meetings' and series' pending invitations).

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
from html.parser import HTMLParser
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
WARM_UP_ROUNDS = 4  # of each write, not counted
SERIES_LENGTH = 20
PEOPLE = 500
COORDINATOR = "coordinator.cl@demo.portal"
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # noqa: S105 - a throw-away database
GROUP = "Binational Working Group"


def _flask(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "flask", *args]
    return subprocess.run(  # noqa: S603
        command, cwd=ROOT, env={**env, "FLASK_APP": "wsgi.py"}, check=True, **kwargs
    )


def seed_people(password: str) -> tuple[int, int]:
    """(run in a subprocess with DATABASE_URL set) 500 members in the Chile–UK group, all
    registered for the first upcoming training of its MoU; the group's and training's ids."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from portal import create_app
    from portal.accounts.models import Party, Role, User
    from portal.accounts.passwords import hash_password
    from portal.core.db import utcnow
    from portal.core.extensions import db
    from portal.mous.models import Membership, WorkingGroup
    from portal.trainings.models import Registration, RegistrationStatus, Sector, Training

    app = create_app()
    with app.app_context():
        group = db.session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == GROUP))
        training = db.session.scalar(
            select(Training)
            .where(Training.mou_id == group.mou_id, Training.starts_at > utcnow())
            .order_by(Training.starts_at)
        )
        parties = {p.code: p for p in db.session.scalars(select(Party))}
        password_hash = hash_password(password)
        training.capacity = PEOPLE * 2
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
            training.registrations_taken += 1
            db.session.add(
                Registration(
                    training=training,
                    user=user,
                    organisation=party.name_en,
                    sector=Sector.PUBLIC,
                    status=RegistrationStatus.CONFIRMED,
                    queue_number=training.registrations_taken,
                    confirmed_at=utcnow(),
                )
            )
        db.session.commit()
        return group.id, training.id


def _form_token(port: int, cookie: str, path: str) -> str:
    status, _, body = request(port, "GET", path, {"Cookie": cookie})
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    if status != 200 or token is None:
        raise SystemExit(f"{path} answered {status} without a form")
    return token.group(1).decode()


def _timed_post(port: int, cookie: str, path: str, form: dict) -> tuple[int, bytes, float]:
    """POST the form once; its status, body and duration in milliseconds."""
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # a loaded machine
    try:
        began = time.perf_counter()
        connection.request("POST", path, body=urllib.parse.urlencode(form), headers=headers)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - began) * 1000
    finally:
        connection.close()
    return response.status, body, elapsed


def _schedule(port: int, cookie: str, group_id: int, day: int, *, series: bool = False) -> float:
    """POST the new-meeting form once (a weekly series of SERIES_LENGTH with `series`); return
    the request's duration in milliseconds."""
    path = f"/working-groups/{group_id}/meetings/new"
    start = (datetime.now(UTC) + timedelta(days=30 + day)).strftime("%Y-%m-%dT10:00")
    form = {
        "csrf_token": _form_token(port, cookie, path),
        "title_en": f"Bench meeting {day}",
        "title_es": f"Reunión de prueba {day}",
        "start_local": start,
        "end_local": start.replace("T10:00", "T11:30"),
        "timezone": "America/Santiago",
        "tlp": "amber",
        "repeat": "weekly" if series else "none",
    }
    if series:
        form.update(interval="1", count=str(SERIES_LENGTH))
    status, body, elapsed = _timed_post(port, cookie, path, form)
    question = re.search(rb'name="off_hours_question"[^>]*value="([^"]*)"', body)
    if status == 422 and question:
        # A day on a party's holiday or weekend: the page asks first and schedules nothing;
        # only the confirmed POST, which schedules, is timed.
        form.update(
            csrf_token=_form_token(port, cookie, path),
            confirm_off_hours="y",
            off_hours_question=question.group(1).decode(),
        )
        status, body, elapsed = _timed_post(port, cookie, path, form)
    if status != 302:
        raise SystemExit(f"scheduling answered HTTP {status}")
    return elapsed


class _FormFields(HTMLParser):
    """The values a browser would submit from a page's forms (the last form's win)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.values[name] = attrs.get("value") or ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def _change_training(port: int, cookie: str, training_id: int, round_: int) -> float:
    """POST the training's edit form with a new title (everyone registered is mailed)."""
    path = f"/trainings/{training_id}/edit"
    status, _, body = request(port, "GET", path, {"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    fields = _FormFields()
    fields.feed(body.decode())
    form = dict(fields.values)
    form["title_en"] = f"Bench training, version {round_}"
    status, _, elapsed = _timed_post(port, cookie, path, form)
    if status != 302:
        raise SystemExit(f"changing the training answered HTTP {status}")
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


def _pending_meetings(database_url: str) -> int:
    with psycopg.connect(database_url.replace("+psycopg", "")) as connection:
        return connection.execute("SELECT count(*) FROM pending_invitation_mails").fetchone()[0]


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
        meetings_pending = _pending_meetings(database_url)
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
        "meetings_whose_mails_the_workers_wrote": meetings_pending,
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
    parser.add_argument("--rounds", type=int, default=10, help="timed rounds of each write")
    parser.add_argument("--no-drain", action="store_true", help="time the writes only")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database", default=DATABASE, help="the throw-away database (one per person)"
    )
    parser.add_argument("--seed-people", metavar="PASSWORD", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_people:
        print(*seed_people(args.seed_people))
        return

    password = "bench-notifications-2026"  # noqa: S105 - a throw-away database
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.database):
        raise SystemExit("--database: lower-case letters, digits and underscores")
    database_url = f"{SERVER_URL.replace('postgresql://', 'postgresql+psycopg://')}/{args.database}"
    env = portal_env(database_url)
    env["PORTAL_DEMO_PASSWORD"] = password
    env["PORTAL_DEMO_TOTP_SECRET"] = TOTP_SECRET  # the coordinator's authenticator key
    dev_env = {**env, "PORTAL_CONFIG": "development"}
    server = hello = None
    load_at_start = os.getloadavg()
    try:
        log(f"creating the database {args.database}")
        harness.recreate_database(args.database)
        _flask(["db", "upgrade"], dev_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _flask(["seed-demo"], dev_env, stdout=subprocess.DEVNULL)
        seeded = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--seed-people", password],
            cwd=ROOT, env=dev_env, capture_output=True, text=True,
        )  # fmt: skip
        if seeded.returncode:
            raise SystemExit(seeded.stderr)
        group_id, training_id = (int(n) for n in seeded.stdout.split()[-2:])
        port = free_port()
        RESULTS.mkdir(parents=True, exist_ok=True)
        server = gunicorn("wsgi:app", port, env, None)
        hello_port = free_port()
        hello = gunicorn("bench.hello:app", hello_port, dict(os.environ), None)
        wait_until_serving(port, "/auth/login", [server])
        wait_until_serving(hello_port, "/", [hello])
        cookie = log_in(port, COORDINATOR, password, TOTP_SECRET)
        writes = {
            "meeting": lambda n: _schedule(port, cookie, group_id, n),
            "series": lambda n: _schedule(port, cookie, group_id, 400 + n, series=True),
            "training": lambda n: _change_training(port, cookie, training_id, n),
        }
        bare_before = _bare_request_ms(hello_port)
        timings = {}
        for name, write in writes.items():
            log(f"{name}: {args.rounds} timed rounds, {PEOPLE + 4} people mailed each")
            # Warm-up, not counted: enough requests that each gunicorn worker has served some
            # (one alone left the other worker cold for the first timed request).
            for n in range(-WARM_UP_ROUNDS, 0):
                write(n)
            timings[name] = [write(n) for n in range(args.rounds)]
        bare_ms = (bare_before + _bare_request_ms(hello_port)) / 2
        for process in (server, hello):
            stop(process)
        server = hello = None
        results = {
            "people_mailed": PEOPLE + 4,
            "rounds": args.rounds,
            "bare_route_ms": round(bare_ms, 2),
        }
        for name, times in timings.items():
            results[name] = {
                "ms_each": [round(t, 1) for t in times],
                "median_ms": round(statistics.median(times), 1),
                "mean_ms": round(statistics.mean(times), 1),
                "max_ms": round(max(times), 1),
                "median_in_bare_requests": round(statistics.median(times) / bare_ms, 1),
            }
            log(f"{name}: {results[name]}")
        if args.no_drain:
            (RESULTS / "notifications.json").write_text(json.dumps({"writes": results}, indent=2))
            return
        drain = _drain(env, database_url, args.workers)
        log(f"drain: {drain}")
        load = {"at_start": load_at_start, "at_end": os.getloadavg()}
        log(f"load average (1, 5, 15 min): {load}")
        (RESULTS / "notifications.json").write_text(
            json.dumps({"writes": results, "drain": drain, "load_average": load}, indent=2)
        )
    finally:
        for process in (server, hello):
            if process is not None:
                stop(process)
        harness.drop_database(args.database)


if __name__ == "__main__":
    main()
