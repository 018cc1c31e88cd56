"""Gunicorn settings for the portal's app servers (deploy/systemd/portal-web.service).

    gunicorn --config /srv/portal/app/deploy/gunicorn.conf.py wsgi:app

Worker model: gthread, one worker per core (WEB_CONCURRENCY, 2 on 2 cores) with 4 threads
each (GUNICORN_THREADS). Measured on this project's 2-core machine against sync workers with
`make bench`'s tooling (BENCH_WORKER_CLASS / BENCH_WORKERS / BENCH_THREADS), interleaved
runs, directly and behind nginx: deploy/README.md has the figures. gthread served the meeting
and working-group pages at a higher rate in 3 of 4 pairs of runs: while one thread waits for
PostgreSQL another renders (the GIL lets one run Python at a time, so more threads would
only add switching). Its known weakness, a kept-alive client holding a thread, does not
arise behind nginx, which buffers clients and opens a fresh connection per request.

Every value can be overridden from the environment (/etc/portal/portal.env).
"""

import multiprocessing
import os

# One process per core; its threads overlap the waits for the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# nginx reaches the app on loopback (or the private network: set GUNICORN_BIND).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# A request still running after this is killed with its worker (and a new one started).
# It is longer than the database's statement timeout below, so the database gives up first
# and the reader gets the 503 page instead of nginx's 502.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30  # on restart, requests in flight have this long to finish
keepalive = 2  # nginx keeps no connections to the app (see nginx/portal.conf)

# A worker is replaced after this many requests (jitter: not all at once): memory a
# library may keep growing is given back.
max_requests = 2000
max_requests_jitter = 200

# Headers and request lines larger than these are refused (nginx limits them first).
limit_request_line = 8190
limit_request_fields = 100

# X-Forwarded-* are trusted only from nginx on this host; the app itself trusts one proxy
# (PROXY_FIX_X_FOR=1, werkzeug's ProxyFix), and gunicorn passes the headers through.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr: journald keeps them (journalctl -u portal-web). No access log
# here: nginx writes one, with the request id the app also logs.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "portal-web"

# The web servers, and only they, cancel a statement after this many seconds (migrations and
# `flask` commands run without a limit); see portal/core/engine.py for the other timeouts.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "30")
# Each worker is one process holding at most pool size + overflow connections; each thread
# uses one at a time (work after the response runs in the same thread, after it), so a pool
# of `threads` plus 2 is plenty: connections from the web = servers × workers × (threads + 2).
os.environ.setdefault("DATABASE_POOL_SIZE", str(threads))
os.environ.setdefault("DATABASE_MAX_OVERFLOW", "2")

# Load the app in each worker, not in the master: a worker then opens its own database pool
# after the fork, never sharing a connection with another process.
preload_app = False
