"""The cooperation portal: create_app() builds the Flask application."""

import logging
from importlib import import_module
from pathlib import Path

from flask import Flask, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_environment
from portal.accounts import throttle
from portal.accounts.sessions import load_session_user
from portal.core.engine import engine_options, ping_when_idle
from portal.core.extensions import babel, bootstrap, csrf, db, limiter, login_manager, mail, migrate
from portal.core.i18n import register_template_helpers, select_locale, select_timezone
from portal.web.assets import register_asset_tags
from portal.web.commands import register_commands
from portal.web.error_handlers import register_error_handlers
from portal.web.features import init_features
from portal.web.http import register_http_hooks
from portal.web.navigation import navbar
from portal.web.public import require_login

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Every feature: the package portal.<name>, whose declare() says what it adds to the portal
# (portal.web.features). Their order is that of their blueprints, before-request hooks,
# reminder jobs and mail categories. Adding a feature is one more line here.
FEATURES = (
    "main",
    "api",  # before accounts: its request hook puts the token's person in place for the others
    "accounts",
    "mous",
    "meetings",
    "actions",
    "polls",
    "commitments",
    "documents",
    "trainings",
    "csirt",
    "contacts",
    "notifications",
    "audit",
    "search",
    "reports",
)


def create_app(config: Config | None = None, overrides: dict | None = None) -> Flask:
    """Build the app from a config object (the environment's by default) plus overrides."""
    config = config if config is not None else config_from_environment()
    for key, value in (overrides or {}).items():
        setattr(config, key, value)
    config.check()

    app = Flask(
        __name__,
        instance_path=getattr(config, "INSTANCE_PATH", None) or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_object(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        database = Path(app.instance_path) / "portal.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)

    _init_extensions(app)
    register_http_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_asset_tags(app)
    app.jinja_env.globals["navbar"] = navbar
    app.before_request(require_login)  # first: the features' hooks may expect a known visitor
    init_features(app, (import_module(f"portal.{name}").declare() for name in FEATURES))
    register_commands(app)
    logging.getLogger("portal").setLevel(logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
        with app.app_context():
            ping_when_idle(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    csrf.init_app(app)
    mail.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    throttle.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = None  # the server-side sessions do this job
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.user_loader(_load_user)


def _load_user(user_id: str):
    if not user_id.isdigit():
        return None
    return load_session_user(db.session, int(user_id), session.get("sid"))


@event.listens_for(Engine, "connect")
def _per_connection_settings(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked, per connection. PostgreSQL compiles a
    statement whose estimated cost passes `jit_above_cost` to machine code first: 50 to
    120 ms each time, for statements that run in a few milliseconds (measured on the
    dashboard at 20,000 meetings), so the portal's connections turn JIT off."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
    elif module.startswith("psycopg"):
        dbapi_connection.execute("SET jit = off")
        dbapi_connection.commit()
