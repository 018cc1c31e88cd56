"""The database engine's options: how long anything waits on PostgreSQL (SECURITY 37).

A restarted or unreachable database must fail a request quickly with the 503 page, never
hang it, and the app must recover by itself once the database is back:

- a pooled connection idle for more than `PING_AFTER_IDLE` seconds is tested before use
  (`ping_when_idle`), so connections a restart killed while the app was quiet are replaced
  instead of failing the next request of every worker. One used a moment ago is not: the test
  is a round trip to the database, on every request of a busy server, for a connection that
  just worked. If the database restarted within that second, the first statement on the
  connection fails (the 503 page) and SQLAlchemy then replaces every pooled connection.
  SQLite keeps `pool_pre_ping`: there the test costs nothing;
- `pool_timeout`: a request waits at most this long for a free pooled connection;
- `connect_timeout`: opening a connection to a host that does not answer gives up (libpq
  counts whole seconds, at least 2);
- `statement_timeout`: a statement running longer is cancelled by the server (0: none; the
  web servers set it in deploy/gunicorn.conf.py, so migrations and commands are not cut).

Each process holds at most `pool_size + max_overflow` connections: N gunicorn workers and
M outbox workers open at most (N + M) × (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW).
"""

from collections.abc import Mapping
from time import monotonic
from weakref import WeakSet

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

# Seconds a pooled connection may sit unused and still be taken without a test.
PING_AFTER_IDLE = 1.0
_RETURNED_AT = "portal.returned_at"  # a pooled connection's record.info key
_PINGING_WHEN_IDLE: WeakSet[Engine] = WeakSet()


def engine_options(config: Mapping) -> dict:
    """SQLAlchemy's engine options for the configured database; explicit ones are kept."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        options.setdefault("pool_pre_ping", True)
        return options  # SQLite: a file, nothing to wait for
    options.setdefault("pool_pre_ping", False)  # ping_when_idle does it
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


def ping_when_idle(engine: Engine, idle: float = PING_AFTER_IDLE) -> None:
    """Test a pooled connection before use when it has been unused for more than `idle`
    seconds; one found dead is replaced, with every other pooled connection (as
    `pool_pre_ping` does for every connection taken). Once per engine: apps that share one
    (the test suite's) would otherwise stack the same listeners."""
    if engine in _PINGING_WHEN_IDLE:
        return
    _PINGING_WHEN_IDLE.add(engine)
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record) -> None:
        record.info[_RETURNED_AT] = monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None or monotonic() - returned <= idle:
            return  # just made, or just used
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # the pool tries a new connection
            raise
