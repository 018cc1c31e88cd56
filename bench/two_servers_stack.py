"""bench/two_servers.py's processes: its own PostgreSQL cluster, the app servers, nginx
running deploy/nginx/portal.conf, the outbox workers and the SMTP sink; stopped at the end
(only what this run started)."""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pyotp
import redis
from aiosmtpd.controller import Controller
from two_servers_http import HOST, PASSWORD, Browser, log

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
REDIS_URL = os.environ.get("TWO_SERVERS_REDIS", "redis://127.0.0.1:6379/9")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found and name != "postgres":
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not versions:
        raise SystemExit("PostgreSQL's server binaries are missing (apt-get install postgresql)")
    return str(versions[-1] / name)


class Stack:
    """Everything this run starts, and how to stop it (only what it started)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        tmp.chmod(0o755)  # the postgres user and nginx's workers read under it
        self.pg_port, self.smtp_port = free_port(), free_port()
        self.app_ports = [free_port(), free_port()]
        self.https_port, self.http_port = free_port(), free_port()
        self.documents = tmp / "documents"
        self.prefix = f"portal-two-servers-{secrets.token_hex(4)}"
        self.totp_secret = pyotp.random_base32()
        self.processes: dict[str, subprocess.Popen] = {}
        self.smtp: Controller | None = None
        self.sink = Sink()
        self.pg_started = False
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.database_url = f"postgresql+psycopg://postgres@{HOST}:{self.pg_port}/portal"

    # PostgreSQL

    def pg_ctl(self, *args: str) -> None:
        command = [
            *self.as_postgres,
            pg_bin("pg_ctl"),
            "-D",
            str(self.tmp / "pg" / "data"),
            "-l",
            str(self.tmp / "pg" / "server.log"),
            *args,
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603

    def start_postgres(self) -> None:
        folder = self.tmp / "pg"
        folder.mkdir()
        if self.as_postgres:
            shutil.chown(folder, "postgres", "postgres")
        initdb = [
            *self.as_postgres,
            pg_bin("initdb"),
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "--encoding=UTF8",
            "--locale=C",
        ]
        subprocess.run(initdb, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        options = (
            f"-p {self.pg_port} -c listen_addresses={HOST} "
            f"-c unix_socket_directories={folder} -c max_connections=60"
        )
        self.pg_ctl("-o", options, "-w", "start")
        self.pg_started = True
        with self.admin() as connection:
            connection.execute("CREATE DATABASE portal")

    def admin(self, database: str = "postgres"):
        return psycopg.connect(
            f"postgresql://postgres@{HOST}:{self.pg_port}/{database}", autocommit=True
        )

    # The portal's processes

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG", "FLASK_APP")}
        env.update(
            FLASK_APP="wsgi.py",
            PORTAL_CONFIG="production",
            SECRET_KEY=self.secret_key,
            DATABASE_URL=self.database_url,
            TRUSTED_HOSTS=HOST,
            PORTAL_BASE_URL=f"https://{HOST}:{self.https_port}",
            RATELIMIT_STORAGE_URI=REDIS_URL,
            RATELIMIT_KEY_PREFIX=self.prefix,
            LOGIN_THROTTLE_KEY_PREFIX=f"{self.prefix}-login",
            LOGIN_ADDRESS_MAX_FAILURES="6",
            LOGIN_RATE_LIMIT="4 per 15 minutes",
            PROXY_FIX_X_FOR="1",
            DOCUMENT_STORAGE_PATH=str(self.documents),
            DOCUMENT_ACCEL_REDIRECT="/_stored_files/",
            MAIL_SERVER=HOST,
            MAIL_PORT=str(self.smtp_port),
            MAIL_USE_TLS="false",
            MAIL_TIMEOUT="5",
            OUTBOX_POLL_SECONDS="0.5",
            WEB_CONCURRENCY="2",
            GUNICORN_LOG_LEVEL="warning",
        )
        env.update(extra)
        return env

    def flask(self, *args: str, env: dict | None = None) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=env or self.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args[:2])}: {result.stderr.strip()[-500:]}")
        return result.stdout

    def spawn(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        logfile = (self.tmp / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_app(self, name: str, port: int, env: dict) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "wsgi:app",
        ]
        self.spawn(name, command, {**env, "GUNICORN_BIND": f"{HOST}:{port}"})
        wait_until(lambda: Browser(port).get("/auth/login").status == 200, 90, f"{name} answers")

    def start(self) -> None:
        self.secret_key = secrets.token_hex(32)
        self.documents.mkdir()
        log(f"PostgreSQL cluster of this run on :{self.pg_port} ({self.tmp / 'pg'})")
        self.start_postgres()
        log("migrating and seeding the demo data")
        self.flask("db", "upgrade")
        # The demo accounts (seed-demo refuses the production configuration, rightly).
        self.flask(
            "seed-demo",
            "--password",
            PASSWORD,
            "--totp-secret",
            self.totp_secret,
            env=self.env(PORTAL_CONFIG="development"),
        )
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        self.smtp = Controller(self.sink, hostname=HOST, port=self.smtp_port)
        self.smtp.start()
        for n, port in enumerate(self.app_ports):
            log(f"app server {'AB'[n]}: gunicorn on :{port} (deploy/gunicorn.conf.py)")
            self.start_app(f"app-{'AB'[n]}", port, self.env())
        self.start_nginx()
        for n in (1, 2):
            self.spawn(
                f"outbox-{n}",
                [sys.executable, "-m", "flask", "outbox", "work"],
                self.env(DATABASE_POOL_SIZE="1", DATABASE_MAX_OVERFLOW="1"),
            )
        log("two outbox workers started (flask outbox work)")

    def start_nginx(self) -> None:
        folder = self.tmp / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / sub).mkdir(parents=True)
        certificate = (
            "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 "
            f"-subj /CN={HOST} -addext subjectAltName=IP:{HOST}"
        ).split()
        openssl = shutil.which("openssl") or "/usr/bin/openssl"
        files = ["-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")]
        subprocess.run([openssl, *certificate, *files], check=True, capture_output=True)  # noqa: S603
        (folder / "portal.conf").write_text(self.local_site())
        temp = "\n".join(
            f"    {kind}_temp_path {folder / sub};"
            for kind, sub in (
                ("client_body", "body"),
                ("proxy", "proxy"),
                ("fastcgi", "fastcgi"),
                ("uwsgi", "uwsgi"),
                ("scgi", "scgi"),
            )
        )
        user = "user root;\n" if os.geteuid() == 0 else ""  # the run's files are root's
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 512; }}\n"
            "http {\n    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"    sendfile on;\n    access_log off;\n{temp}\n"
            f"    include {DEPLOY / 'nginx' / 'log-format.conf'};\n"
            f"    include {folder / 'portal.conf'};\n}}\n"
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        command = [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)  # noqa: S603
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused deploy/nginx/portal.conf:\n{checked.stderr}")
        self.spawn("nginx", command, dict(os.environ))
        wait_until(lambda: self.https().get("/auth/login").status == 200, 30, "nginx answers")
        log(f"nginx on https://{HOST}:{self.https_port} (http :{self.http_port}) in front of both")

    def local_site(self) -> str:
        """deploy/nginx/portal.conf with its "# local:" lines pointed at this run."""
        import flask_bootstrap

        bootstrap = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5"
        values = {
            "app servers": "".join(
                f"server {HOST}:{port} max_fails=3 fail_timeout=10s;\n    "
                for port in self.app_ports
            ).rstrip(),
            "http port": f"listen {HOST}:{self.http_port};",
            "https port": f"listen {HOST}:{self.https_port} ssl http2;",
            "certificate": f"ssl_certificate {self.tmp / 'nginx' / 'cert.pem'};",
            "key": f"ssl_certificate_key {self.tmp / 'nginx' / 'key.pem'};",
            "access log": f"access_log {self.tmp / 'nginx' / 'access.log'} portal;",
            "error log": f"error_log {self.tmp / 'nginx' / 'portal-error.log'} warn;",
            "static": f"alias {ROOT / 'static'}/;",
            "bootstrap": f"alias {bootstrap}/;",
            "documents": f"alias {self.documents}/;",
            "unavailable": f"root {DEPLOY / 'nginx'};",
            "host": "proxy_set_header Host $http_host;",  # the port is not 443 here
        }
        lines = []
        for line in (DEPLOY / "nginx" / "portal.conf").read_text().splitlines():
            marker = re.match(r"\s*[^#\s].*#\s*local:\s*(.+)$", line)
            if marker:
                key = marker.group(1).strip()
                if key == "drop":
                    continue
                indent = line[: len(line) - len(line.lstrip())]
                line = indent + values[key]
            lines.append(line)
        return "\n".join(lines) + "\n"

    def https(self) -> "Browser":
        return Browser(self.https_port, tls=self.tls_context())

    def tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.tmp / "nginx" / "cert.pem"))
        return context

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self, *, keep: bool) -> None:
        for name in list(self.processes):
            self.stop_process(name)
        if self.smtp is not None:
            self.smtp.stop()
        if self.pg_started:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg_ctl("-m", "fast", "-w", "stop")
        with contextlib.suppress(redis.RedisError):
            store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
            keys = list(store.scan_iter(match=f"*{self.prefix}*", count=500))
            if keys:
                store.delete(*keys)
        if keep:
            log(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


def wait_until(condition, seconds: float, what: str) -> float:
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            if condition():
                return time.monotonic() - began
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"timed out: {what}")


class Sink:
    """The SMTP server's handler: every message's Message-ID, as received."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's name
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.MULTILINE | re.I)
        with self.lock:
            self.message_ids.append(found.group(1).decode() if found else "?")
        return "250 OK"
