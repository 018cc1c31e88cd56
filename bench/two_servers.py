"""`make two-servers`: the deployment of deploy/ run on loopback, and its faults.

All on 127.0.0.1, in a temporary directory removed at the end:

- its own PostgreSQL cluster (initdb, then pg_ctl on a free port: never the machine's server),
  migrated and seeded with the demo data;
- two app servers (gunicorn with deploy/gunicorn.conf.py, production settings) behind
  Debian's nginx running deploy/nginx/portal.conf itself (TLS with a throw-away certificate,
  its addresses, ports and paths replaced where the file marks them "# local:");
- two outbox workers (`flask outbox work`) and an SMTP sink (aiosmtpd);
- Redis on 127.0.0.1:6379 (database 9, keys under a prefix of this run, deleted at the end).

Then it checks, printing each check and exiting 1 if one fails:

1. nginx: TLS, HTTP redirected, static files served by nginx, the request size limit,
   X-Forwarded-For replaced (the audit log records nginx's address, not a forged one),
   downloads sent by nginx through X-Accel-Redirect and its internal path not reachable;
2. a change made through one server is seen at once through the other (the stored meeting
   page, the working-group page, the action list: no per-process cache serves stale output);
3. sessions, the second factor (a code used on one server is refused on the other), login
   throttling and rate limits hold across servers;
4. both workers drain one outbox with no mail sent twice;
5. faults (SECURITY 37): PostgreSQL stopped (immediate mode: as a crash) and started again
   while a load runs: requests fail with the 503 page, none hangs past the pool timeout,
   /healthz answers 503 then 200, the app and the workers recover by themselves, nothing
   committed is lost;
6. a backup taken with deploy/backup.sh (pg_dump) restores into an empty database, and an
   app server on it serves the portal.

It needs nginx (`make two-servers` installs Debian's), PostgreSQL's server binaries and Redis;
it takes a few minutes and is not part of `make test`. Figures go to
bench/results/two_servers.json.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from two_servers_http import (
    HOST,
    PASSWORD,
    Browser,
    FormReader,
    action_fields,
    is_down_page,
    log,
    log_in,
    refusals,
)
from two_servers_stack import DEPLOY, ROOT, Stack, free_port, pg_bin, wait_until

RESULTS = ROOT / "bench" / "results"
MEMBER = "member.cl@demo.portal"
COORDINATOR = "coordinator.cl@demo.portal"
POOL_TIMEOUT = 10.0  # DATABASE_POOL_TIMEOUT: no request may take longer while the database is away
OUTBOX_MAILS = 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--down-seconds", type=float, default=4, help="how long PostgreSQL is down")
    parser.add_argument("--load-threads", type=int, default=3, help="connections of the load")
    args = parser.parse_args()
    for tool in ("nginx", "openssl"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is not installed (make two-servers installs nginx)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stack = Stack(Path(tempfile.mkdtemp(prefix="portal-two-servers-")))
    report = Report()
    started = time.monotonic()
    try:
        stack.start()
        run_checks(stack, report, args)
    except Exception as error:  # a set-up step that failed is a failed run, said plainly
        report.check("the run finished", False, f"{type(error).__name__}: {error}")
    finally:
        stack.stop(keep=args.keep)
    report.figures["elapsed_s"] = round(time.monotonic() - started)
    report.figures["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    (RESULTS / "two_servers.json").write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    report.print_summary()
    sys.exit(0 if report.passed else 1)


# Reporting ------------------------------------------------------------------------------------


@dataclass
class Report:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append((name, bool(ok), detail))
        log(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail else ""))
        return bool(ok)

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(ok for _, ok, _ in self.checks)

    def as_dict(self) -> dict:
        return {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "cpus": os.cpu_count(),
            "passed": self.passed,
            "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in self.checks],
            "figures": self.figures,
        }

    def print_summary(self) -> None:
        print()
        print("| check | result | detail |")
        print("| --- | --- | --- |")
        for name, ok, detail in self.checks:
            print(f"| {name} | {'PASS' if ok else 'FAIL'} | {detail} |")
        print()
        print("figures:", json.dumps(self.figures))
        failed = sum(1 for _, ok, _ in self.checks if not ok)
        print(
            f"{len(self.checks) - failed} passed, {failed} failed; written to "
            f"{RESULTS / 'two_servers.json'}"
        )


# The checks -----------------------------------------------------------------------------------


def run_checks(stack: Stack, report: Report, args) -> None:
    with stack.admin("portal") as db:
        facts = demo_facts(db)
    report.figures["servers"] = (
        "2 app servers × gunicorn 2 gthread workers × 4 threads (deploy/gunicorn.conf.py), nginx "
        f"{nginx_version()}, 2 outbox workers, PostgreSQL {facts['server_version']}"
    )
    check_nginx(stack, report, facts)
    check_fresh_everywhere(stack, report, facts)
    check_sessions_and_limits(stack, report)
    check_outbox(stack, report)
    check_faults(stack, report, facts, args)
    check_backup(stack, report, facts)


def demo_facts(db) -> dict:
    member = db.execute(
        "SELECT id, name, party_id FROM users WHERE email = %s", (MEMBER,)
    ).fetchone()
    group = db.execute(
        "SELECT working_group_id FROM working_group_members WHERE user_id = %s ORDER BY 1 LIMIT 1",
        (member[0],),
    ).fetchone()[0]
    meeting = db.execute(
        "SELECT i.meeting_id FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id "
        "WHERE i.user_id = %s AND m.working_group_id = %s ORDER BY 1 LIMIT 1",
        (member[0], group),
    ).fetchone()
    return {
        "member_id": member[0],
        "member_name": member[1],
        "party_id": member[2],
        "group_id": group,
        "meeting_id": meeting[0] if meeting else None,
        "server_version": db.execute("SHOW server_version").fetchone()[0],
    }


def nginx_version() -> str:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    output = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr  # noqa: S603
    return output.strip().split("/")[-1]


def check_nginx(stack: Stack, report: Report, facts: dict) -> None:
    log("-- nginx in front: TLS, static files, limits, proxy headers, downloads")
    browser = stack.https()
    page = browser.get("/auth/login")
    report.check(
        "TLS: the login page over HTTPS",
        page.status == 200 and browser.tls_version in ("TLSv1.2", "TLSv1.3"),
        f"{browser.tls_version}",
    )
    plain = Browser(stack.http_port).get("/auth/login")
    report.check(
        "plain HTTP is redirected to HTTPS",
        plain.status == 301 and plain.location.startswith("https://"),
        f"{plain.status} → {plain.location}",
    )
    css = browser.get("/static/css/portal.css")
    bootstrap = re.search(r'href="(/bootstrap/static/[^"]+\.css)"', page.text)
    framework = browser.get(bootstrap.group(1)) if bootstrap else None
    report.check(
        "static files are nginx's (no app request id), the app's and Bootstrap's",
        css.status == 200
        and "X-Request-ID" not in css.headers
        and framework is not None
        and framework.status == 200
        and "X-Request-ID" not in framework.headers,
        f"portal.css {css.status}, {bootstrap.group(1) if bootstrap else 'no bootstrap link'}",
    )
    too_big = oversized_upload(stack)
    report.check(
        "a request over 101 MB is refused by nginx (413) before any app server",
        too_big == 413,
        f"HTTP {too_big}",
    )

    member = stack.https()
    member_forged = Browser(stack.https_port, stack.tls_context(), address="203.0.113.66")
    member_forged.cookies = member.cookies
    log_in(member_forged, MEMBER)
    with stack.admin("portal") as db:
        address = db.execute(
            "SELECT ip_address FROM audit_events WHERE actor_id = %s ORDER BY id DESC LIMIT 1",
            (facts["member_id"],),
        ).fetchone()
    report.check(
        "X-Forwarded-For: the app records nginx's client address, not a forged header",
        address is not None and address[0] == HOST,
        f"audit log address {address[0] if address else None} (forged 203.0.113.66)",
    )

    content = (b"Two servers, one file.\n" * 4000) + secrets.token_hex(16).encode()
    title = f"Deployment check {secrets.token_hex(3)}"
    uploaded = member.submit(
        f"/working-groups/{facts['group_id']}/documents/new",
        "title",
        files={"file": ("deployment-check.txt", content, "text/plain")},
        title=title,
        language="en",
        category="national_strategy",
        tlp="green",
    )
    with stack.admin("portal") as db:
        row = db.execute("SELECT id FROM documents WHERE title = %s", (title,)).fetchone()
    if not report.check(
        "a document uploaded through nginx",
        uploaded.status == 302 and row,
        f"HTTP {uploaded.status} {refusals(uploaded)}",
    ):
        return
    facts["document_id"], facts["document_bytes"] = row[0], content
    path = f"/documents/{row[0]}/versions/1/download"
    download = member.get(path)
    report.check(
        "a download is sent by nginx (X-Accel-Redirect), whole, as an attachment",
        download.status == 200
        and download.body == content
        and "attachment" in download.headers.get("Content-Disposition", "")
        and download.headers.get_content_type() == "text/plain"
        and download.headers.get("X-Content-Type-Options") == "nosniff"
        and "X-Accel-Redirect" not in download.headers,
        f"{len(download.body):,} bytes, {download.headers.get('Content-Disposition')}",
    )
    direct = member.on(stack.app_ports[0]).get(path)
    internal = direct.headers.get("X-Accel-Redirect", "")
    outside = member.get(internal) if internal else None
    report.check(
        "the app alone sends only headers; nginx's internal path is not reachable from outside",
        direct.status == 200
        and direct.body == b""
        and internal.startswith("/_stored_files/")
        and outside is not None
        and outside.status == 404,
        f"{internal} → {outside.status if outside else None}",
    )
    stranger = stack.https()
    log_in(stranger, "member.co@demo.portal")
    refused = stranger.get(path)
    report.check(
        "another delegation cannot download it through nginx",
        refused.status == 404 and content not in refused.body,
        f"HTTP {refused.status}",
    )


def oversized_upload(stack: Stack) -> int:
    """POST headers announcing 110 MB, and no body: nginx answers before reading it."""
    with (
        socket.create_connection((HOST, stack.https_port)) as raw,
        stack.tls_context().wrap_socket(raw, server_hostname=HOST) as sock,
    ):
        sock.sendall(
            b"POST /working-groups/1/documents/new HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=x\r\n"
            b"Content-Length: 115343360\r\n\r\n"
        )
        head = sock.recv(4096).decode("latin-1")
    return int(head.split()[1]) if head.startswith("HTTP/") else 0


def check_fresh_everywhere(stack: Stack, report: Report, facts: dict) -> None:
    log("-- a change through one server, read at once through the other")
    a, b = stack.app_ports
    member_a = Browser(a)
    log_in(member_a, MEMBER)
    member_b = member_a.on(b)
    group_path = f"/working-groups/{facts['group_id']}"
    list_path = f"/actions/?group={facts['group_id']}"
    meeting_path = f"/meetings/{facts['meeting_id']}" if facts["meeting_id"] else None
    paths = [p for p in (group_path, list_path, meeting_path) if p]
    for _ in range(3):  # both workers of B render and keep what they show
        for path in paths:
            member_b.get(path)

    new_name = f"{facts['member_name']} Deployed {secrets.token_hex(2)}"
    renamed = member_a.submit("/account/", "timezone", name=new_name)
    seen = [new_name in member_b.get(path).text for path in paths for _ in range(2)]
    report.check(
        "a person renamed on A shows at once on B's group page, action list and stored "
        "meeting page",
        renamed.status == 302 and all(seen),
        f"{sum(seen)}/{len(seen)} pages of B show the new name",
    )
    title = f"Check the two servers {secrets.token_hex(3)}"
    created = member_a.submit(f"{group_path}/actions/new", "title", **action_fields(facts, title))
    seen = [title in member_b.get(path).text for path in (group_path, list_path) for _ in range(2)]
    report.check(
        "an action item created on A shows at once on B's group page and action list",
        created.status == 302 and all(seen),
        f"HTTP {created.status} {refusals(created)}; {sum(seen)}/{len(seen)} pages of B show it",
    )


def check_sessions_and_limits(stack: Stack, report: Report) -> None:
    log("-- sessions, second factor, throttling and rate limits across servers")
    a, b = stack.app_ports
    on_a = Browser(a)
    log_in(on_a, MEMBER)
    on_b = on_a.on(b)
    dashboard = on_b.get("/")
    # The logout button is a form on every page: post it on B with B's page token.
    forms = FormReader.read(dashboard.text)
    logout_form = next(f for f in forms if (f["action"] or "").endswith("/auth/logout"))
    logout = on_b.post(logout_form["action"], logout_form["fields"])
    copied = Browser(a)
    copied.cookies = dict(on_a.cookies)  # the cookie as it was before the logout
    after = copied.get("/")
    report.check(
        "a session made on A works on B; a logout on B ends it on A",
        dashboard.status == 200
        and logout.status == 302
        and after.status == 302
        and "/auth/login" in after.location,
        f"B {dashboard.status}, logout {logout.status}, A afterwards {after.status}",
    )

    first = Browser(a)
    answer, code = log_in(first, COORDINATOR, stack.totp_secret, on=first.on(b))
    confirmed = first.on(b).get("/")
    replay = Browser(b)
    password_step = replay.submit("/auth/login", "password", email=COORDINATOR, password=PASSWORD)
    replayed = replay.on(a).submit("/auth/second-factor", "code", code=code)
    report.check(
        "second factor: password on A, code on B; the same code replayed on A is refused",
        answer.status == 302
        and confirmed.status == 200
        and password_step.status == 302
        and replayed.status != 302,
        f"code step {answer.status}, replay {replayed.status}",
    )

    statuses = []
    for n in range(8):  # wrong passwords from one address, alternately on A and B
        browser = Browser((a, b)[n % 2], address="198.51.100.7")
        statuses.append(
            browser.submit(
                "/auth/login",
                "password",
                email=f"nobody{n}@example.org",
                password="wrong-password",  # noqa: S106
            ).status
        )
    other = Browser(a, address="198.51.100.8")
    fine = other.submit("/auth/login", "password", email=MEMBER, password=PASSWORD)
    report.check(
        "login throttling: 6 failures from one address, 3 on each server, block it on both",
        429 not in statuses[:6] and statuses[6:] == [429, 429] and fine.status == 302,
        f"statuses {statuses}; another address logs in: {fine.status}",
    )
    statuses = []
    for n in range(6):  # the password-reset form: 4 per 15 minutes per address
        browser = Browser((a, b)[n % 2], address="198.51.100.9")
        statuses.append(
            browser.submit("/auth/forgot", "email", email=f"nobody{n}@example.org").status
        )
    report.check(
        "rate limit (Flask-Limiter in Redis): the 5th reset request from one address is "
        "refused, whichever server it reaches",
        429 not in statuses[:4] and statuses[4:] == [429, 429],
        f"statuses {statuses}",
    )


def queue_mails(stack: Stack, count: int, tag: str) -> list[str]:
    now = datetime.now(UTC)
    ids = [f"<two-servers-{tag}-{n}-{secrets.token_hex(4)}@demo.portal>" for n in range(count)]
    with stack.admin("portal") as db, db.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO outbox_messages (created_at, kind, recipient, subject, body_text, "
            "body_html, message_id, status, attempts) "
            "VALUES (%s, 'meeting_changed', %s, %s, 'Text', '<p>Text</p>', %s, 'pending', 0)",
            [
                (now, f"person{n}@example.org", f"[TLP:GREEN] {tag} {n}", message_id)
                for n, message_id in enumerate(ids)
            ],
        )
    return ids


def wait_for_mail(stack: Stack, ids: list[str], seconds: float) -> float:
    wanted = set(ids)
    return wait_until(lambda: wanted <= set(stack.sink.message_ids), seconds, "mail delivered")


def check_outbox(stack: Stack, report: Report) -> None:
    log(f"-- two outbox workers drain {OUTBOX_MAILS} mails")
    ids = queue_mails(stack, OUTBOX_MAILS, "drain")
    try:
        seconds = wait_for_mail(stack, ids, 120)
    except RuntimeError:
        seconds = None
    received = Counter(m for m in stack.sink.message_ids if m in set(ids))
    with stack.admin("portal") as db:
        by_worker = dict(
            db.execute(
                "SELECT leased_by, count(*) FROM outbox_messages WHERE message_id = ANY(%s) "
                "AND status = 'sent' GROUP BY leased_by",
                (ids,),
            ).fetchall()
        )
    report.figures["outbox"] = {"mails": OUTBOX_MAILS, "seconds": seconds, "by_worker": by_worker}
    report.check(
        "both workers drain one outbox, every mail sent exactly once",
        seconds is not None
        and len(received) == len(ids)
        and set(received.values()) == {1}
        and len(by_worker) == 2,
        f"{len(received)}/{len(ids)} received, most copies of one: "
        f"{max(received.values(), default=0)}, per worker {sorted(by_worker.values())}",
    )


@dataclass
class Sample:
    began: float
    seconds: float
    status: int  # 0: no HTTP answer at all
    kind: str
    down_page: bool = False


def check_faults(stack: Stack, report: Report, facts: dict, args) -> None:
    log(f"-- PostgreSQL stopped for {args.down_seconds} s and started again, under load")
    member = stack.https()
    log_in(member, MEMBER)
    paths = ["/", f"/working-groups/{facts['group_id']}", f"/actions/?group={facts['group_id']}"]
    if facts["meeting_id"]:
        paths.append(f"/meetings/{facts['meeting_id']}")
    samples: list[Sample] = []
    acknowledged: list[str] = []
    stop = threading.Event()
    lock = threading.Lock()

    def reader(n: int) -> None:
        browser = member.on(stack.https_port, stack.tls_context())
        i = n
        while not stop.is_set():
            i += 1
            began = time.monotonic()
            try:
                answer = browser.get(paths[i % len(paths)], timeout=POOL_TIMEOUT * 3)
                sample = Sample(began, answer.seconds, answer.status, "read", is_down_page(answer))
            except (OSError, http.client.HTTPException):
                browser.close()
                sample = Sample(began, time.monotonic() - began, 0, "read")
            with lock:
                samples.append(sample)

    def writer() -> None:
        browser = member.on(stack.https_port, stack.tls_context())
        n = 0
        while not stop.is_set():
            n += 1
            title = f"Written under faults {secrets.token_hex(3)} {n}"
            began = time.monotonic()
            try:
                answer = browser.submit(
                    f"/working-groups/{facts['group_id']}/actions/new",
                    "title",
                    **action_fields(facts, title),
                )
                status, down = answer.status, is_down_page(answer)
            except (OSError, http.client.HTTPException):
                browser.close()
                status, down = 0, False
            with lock:
                samples.append(Sample(began, time.monotonic() - began, status, "write", down))
                if status == 302:
                    acknowledged.append(title)
            time.sleep(0.2)

    workers = {name: stack.processes[name].pid for name in ("outbox-1", "outbox-2")}
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.load_threads)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    probe = Browser(stack.https_port, stack.tls_context())
    health_down: list[tuple[int, bytes]] = []
    try:
        time.sleep(3)
        stopped_at = time.monotonic()
        stack.pg_ctl("-m", "immediate", "-w", "stop")  # as a crash: no checkpoint
        stop_took = time.monotonic() - stopped_at
        down_until = time.monotonic() + args.down_seconds
        while time.monotonic() < down_until:
            answer = probe.get("/healthz")
            health_down.append((answer.status, answer.body))
            time.sleep(0.5)
        options = (
            f"-p {stack.pg_port} -c listen_addresses={HOST} "
            f"-c unix_socket_directories={stack.tmp / 'pg'} -c max_connections=60"
        )
        starting_at = time.monotonic()
        stack.pg_ctl("-o", options, "-w", "start")  # crash recovery, then it accepts again
        up_at = time.monotonic()

        def serving() -> bool:
            fresh = [Browser(port).get("/healthz").status for port in stack.app_ports]
            return fresh == [200, 200] and member.get("/").status == 200

        recovery = wait_until(serving, 60, "the portal serving again")
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=POOL_TIMEOUT * 4)
    recovered_at = up_at + recovery

    during = [s for s in samples if s.began >= stopped_at - 1]
    failed = [s for s in during if s.status not in (200, 302)]
    after = [s for s in samples if s.began > recovered_at + 0.5]
    longest = max((s.seconds for s in samples), default=0.0)
    statuses = Counter(s.status for s in failed)
    report.figures["faults"] = {
        "postgres_unavailable_s": round(up_at - stopped_at, 1),
        "pg_ctl_stop_s": round(stop_took, 1),
        "pg_ctl_start_s": round(up_at - starting_at, 1),
        "requests": len(samples),
        "requests_during_outage_window": len(during),
        "failed": len(failed),
        "failed_by_status": dict(statuses),
        "longest_request_s": round(longest, 2),
        "recovery_s_after_postgres_accepts": round(recovery, 2),
        "writes_acknowledged": len(acknowledged),
        "failed_after_recovery": sum(1 for s in after if s.status not in (200, 302)),
    }
    report.check(
        "while PostgreSQL is down requests fail with the app's 503 page (no 500, 502, 504, "
        "no dropped connection)",
        failed and set(statuses) == {503} and all(s.down_page for s in failed),
        f"{len(failed)} of {len(during)} requests failed: {dict(statuses)}",
    )
    report.check(
        f"no request took longer than the pool timeout ({POOL_TIMEOUT:.0f} s)",
        longest < POOL_TIMEOUT,
        f"longest {longest:.2f} s",
    )
    report.check(
        "/healthz answers 503 without details while PostgreSQL is down",
        health_down
        and all(s == 503 for s, _ in health_down)
        and all(
            json.loads(body) == {"status": "unavailable", "database": "down"}
            for _, body in health_down
        ),
        f"{[s for s, _ in health_down]}",
    )
    report.check(
        "the app servers recover by themselves within seconds (healthz 200 on both, pages 200)",
        recovery < 10 and figures_ok(after),
        f"{recovery:.2f} s after PostgreSQL accepted connections; "
        f"{len(after)} requests after it, all answered",
    )
    with stack.admin("portal") as db:
        stored = {
            r[0]
            for r in db.execute(
                "SELECT title FROM action_items WHERE title = ANY(%s)", (acknowledged,)
            )
        }
    report.check(
        "nothing committed is lost: every action item the portal confirmed is there",
        acknowledged and stored == set(acknowledged),
        f"{len(stored)}/{len(acknowledged)} confirmed writes present after the crash",
    )
    alive = all(stack.processes[name].poll() is None for name in workers)
    ids = queue_mails(stack, 20, "after")
    try:
        wait_for_mail(stack, ids, 30)
        delivered = Counter(m for m in stack.sink.message_ids if m in set(ids))
        once = len(delivered) == 20 and set(delivered.values()) == {1}
    except RuntimeError:
        once = False
    report.check(
        "the outbox workers waited out the outage (same processes) and deliver again, once each",
        alive and once and all(stack.processes[n].pid == pid for n, pid in workers.items()),
        f"workers alive: {alive}; 20 new mails delivered once: {once}",
    )


def figures_ok(after: list[Sample]) -> bool:
    return bool(after) and all(s.status in (200, 302) for s in after)


def check_backup(stack: Stack, report: Report, facts: dict) -> None:
    log("-- backup (deploy/backup.sh, pg_dump), restored into an empty database, served")
    backups = stack.tmp / "backups"
    env = {
        **os.environ,
        "PGHOST": HOST,
        "PGPORT": str(stack.pg_port),
        "PGUSER": "postgres",
        "PGDATABASE": "portal",
        "BACKUP_DIR": str(backups),
    }
    made = subprocess.run(  # noqa: S603
        [str(DEPLOY / "backup.sh")], env=env, capture_output=True, text=True
    )
    dumps = sorted(backups.glob("portal-*.dump"))
    if not report.check(
        "deploy/backup.sh writes a pg_dump",
        made.returncode == 0 and dumps,
        (made.stdout or made.stderr).strip(),
    ):
        return
    with stack.admin() as admin:
        admin.execute("CREATE DATABASE portal_restored")
    restore = subprocess.run(  # noqa: S603
        [
            pg_bin("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "-h",
            HOST,
            "-p",
            str(stack.pg_port),
            "-U",
            "postgres",
            "-d",
            "portal_restored",
            str(dumps[-1]),
        ],
        capture_output=True,
        text=True,
    )
    counts = {}
    for database in ("portal", "portal_restored"):
        with stack.admin(database) as db:
            tables = [
                r[0]
                for r in db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            count = 'SELECT count(*) FROM "{}"'  # the names come from pg_tables
            counts[database] = {t: db.execute(count.format(t)).fetchone()[0] for t in tables}
    report.check(
        "pg_restore into an empty database: every table, every row",
        restore.returncode == 0 and counts["portal"] == counts["portal_restored"],
        f"{len(counts['portal_restored'])} tables, "
        f"{sum(counts['portal_restored'].values()):,} rows {restore.stderr.strip()[:200]}",
    )
    port = free_port()
    restored_url = stack.database_url.rsplit("/", 1)[0] + "/portal_restored"
    stack.start_app("app-restored", port, stack.env(DATABASE_URL=restored_url, WEB_CONCURRENCY="1"))
    try:
        browser = Browser(port)
        log_in(browser, MEMBER)
        dashboard = browser.get("/")
        group = browser.get(f"/working-groups/{facts['group_id']}")
        download = browser.get(f"/documents/{facts.get('document_id', 0)}/versions/1/download")
        report.check(
            "an app server on the restored database serves the portal (login, dashboard, "
            "group page, the uploaded document)",
            dashboard.status == 200
            and group.status == 200
            and download.status == 200
            and "X-Accel-Redirect" in download.headers,
            f"dashboard {dashboard.status}, group {group.status}, download {download.status}",
        )
    finally:
        stack.stop_process("app-restored")


if __name__ == "__main__":
    main()
