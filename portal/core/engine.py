"""The database engine's options: how long anything waits on PostgreSQL (SECURITY 37).

A restarted or unreachable database must fail a request quickly with the 503 page, never
hang it, and the app must recover by itself once the database is back:

- `pool_pre_ping`: a pooled connection is tested before use, so connections the restart
  killed are replaced instead of failing the next request of every worker;
- `pool_timeout`: a request waits at most this long for a free pooled connection;
- `connect_timeout`: opening a connection to a host that does not answer gives up (libpq
  counts whole seconds, at least 2);
- `statement_timeout`: a statement running longer is cancelled by the server (0: none; the
  web servers set it in deploy/gunicorn.conf.py, so migrations and commands are not cut).

Each process holds at most `pool_size + max_overflow` connections: N gunicorn workers and
M outbox workers open at most (N + M) × (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW).
"""

from collections.abc import Mapping


def engine_options(config: Mapping) -> dict:
    """SQLAlchemy's engine options for the configured database; explicit ones are kept."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        return options  # SQLite: a file, nothing to wait for
    options.setdefault("pool_size", config["DATABASE_POOL_SIZE"])
    options.setdefault("max_overflow", config["DATABASE_MAX_OVERFLOW"])
    options.setdefault("pool_timeout", config["DATABASE_POOL_TIMEOUT"])
    connect_args = dict(options.get("connect_args") or {})
    connect_args.setdefault("connect_timeout", config["DATABASE_CONNECT_TIMEOUT"])
    statement_timeout_ms = int(config["DATABASE_STATEMENT_TIMEOUT"] * 1000)
    if statement_timeout_ms and "options" not in connect_args:
        connect_args["options"] = f"-c statement_timeout={statement_timeout_ms}"
    options["connect_args"] = connect_args
    return options
