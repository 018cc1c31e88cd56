"""What every app of a test run compiles the same way, compiled once per run.

Each test builds its own app (tests/conftest.py), and a new app compiles again what does
not change from one app to the next: its Jinja templates, its URL rules' builders and its
SQL. Each is a pure function of its source, so the run keeps what the first app compiled.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from jinja2 import BytecodeCache
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from werkzeug.routing.rules import Rule


class CompiledTemplates(BytecodeCache):
    """Jinja's own cache of compiled templates, kept in memory for the run. Jinja checks
    each template's source against what was kept: a changed template is compiled anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()

_compile_builder = Rule._compile_builder
_builders: dict[tuple, object] = {}


def _kept_builder(rule: Rule, append_unknown: bool = True):
    """Werkzeug generates and compiles Python code for each rule's URL builder, from the rule
    (its text, parsed parts and defaults) alone: the same rule gets the same function."""
    key = (rule.rule, tuple(rule._trace), repr(sorted((rule.defaults or {}).items())))
    key += (append_unknown,)
    if key not in _builders:
        _builders[key] = _compile_builder(rule, append_unknown)
    return _builders[key]


def keep_compiled_url_builders() -> None:
    Rule._compile_builder = _kept_builder


# The engine of each test's app (tests/conftest.py: `app`), kept for the run per database and
# options. SQLAlchemy keeps the SQL it compiled from each statement in its engine, keyed by the
# engine's dialect: a new engine per test compiled every query and insert again, a fifth of a
# test's time. On SQLite the pool is emptied after each test (the next test's file replaces
# the file); PostgreSQL's connections are kept too (`kept_connections_tested_on_first_use`).
SHARED_ENGINE = "TEST_SHARED_ENGINE"
_engines: dict[tuple, Engine] = {}


def keep_engines_of_test_apps(db: SQLAlchemy) -> None:
    """Apps built with `TEST_SHARED_ENGINE` set take the engine made for the first such app on
    the same database with the same options; any other app (a test's second app, say) gets its
    own."""
    make_engine = db._make_engine

    def kept_engine(bind_key, options: dict, app: Flask) -> Engine:
        if not app.config.get(SHARED_ENGINE):
            return make_engine(bind_key, options, app)
        key = (bind_key, repr(sorted((name, repr(value)) for name, value in options.items())))
        if key not in _engines:
            _engines[key] = make_engine(bind_key, options, app)
        return _engines[key]

    db._make_engine = kept_engine


@contextmanager
def kept_connections_tested_on_first_use(engine: Engine) -> Iterator[None]:
    """A test's first use of each connection the engine kept from earlier tests starts with a
    round trip to the server: one that an earlier test had killed (tests/security/
    test_connection_killed.py) is replaced with every other pooled connection, before the test
    uses it. Keeping them saves each test's new connections the server's work of learning the
    catalogue and planning every statement anew (40 % of PostgreSQL's time on tests/actions)."""
    tested: set[int] = set()
    dialect = engine.dialect

    def test_first_use(dbapi_connection, record, _proxy) -> None:
        if id(record) in tested:
            return
        tested.add(id(record))
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.InvalidatePoolError() from error  # the pool opens a new connection

    event.listen(engine, "checkout", test_first_use)
    try:
        yield
    finally:
        event.remove(engine, "checkout", test_first_use)
