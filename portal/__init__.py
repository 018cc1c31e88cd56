"""The cooperation portal: create_app() builds the Flask application."""

import logging
from pathlib import Path

from flask import Flask, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_environment
from portal.accounts import (  # noqa: F401  (routes on accounts.bp)
    admin_views,
    email_views,
    session_views,
    throttle,
    two_factor_views,
    views,
)
from portal.accounts import bp as accounts_bp
from portal.accounts.sessions import load_session_user
from portal.actions import bp as actions_bp
from portal.actions import views as action_views  # noqa: F401  (routes on actions.bp)
from portal.audit import bp as audit_bp
from portal.audit import views as audit_views  # noqa: F401  (routes on audit.bp)
from portal.cli import register_cli
from portal.core.extensions import babel, bootstrap, csrf, db, limiter, login_manager, mail, migrate
from portal.core.i18n import register_template_helpers, select_locale, select_timezone
from portal.documents import bp as documents_bp
from portal.documents import views as document_views  # noqa: F401  (routes on documents.bp)
from portal.main import bp as main_bp
from portal.main import views as main_views  # noqa: F401  (routes on main.bp)
from portal.meetings import bp as meetings_bp
from portal.meetings import (  # noqa: F401  (routes on meetings.bp)
    calendar_views,
    minutes_views,
    participation_views,
)
from portal.meetings import views as meeting_views  # noqa: F401  (routes on meetings.bp)
from portal.mous import bp as mous_bp
from portal.mous import views as mous_views  # noqa: F401  (routes on mous.bp)
from portal.notifications import bp as notifications_bp
from portal.notifications import views as notification_views  # noqa: F401  (routes on its bp)
from portal.trainings import bp as trainings_bp
from portal.trainings import (  # noqa: F401  (routes on trainings.bp)
    followup_views,
    material_views,
    report_views,
    roster_views,
)
from portal.trainings import views as training_views  # noqa: F401  (routes on trainings.bp)
from portal.trainings.confinement import confine_external_participants
from portal.web.error_handlers import register_error_handlers
from portal.web.http import register_http_hooks
from portal.web.navigation import navbar
from portal.web.public import require_login

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)

    _init_extensions(app)
    blueprints = (
        main_bp,
        accounts_bp,
        mous_bp,
        meetings_bp,
        documents_bp,
        audit_bp,
        actions_bp,
        notifications_bp,
        trainings_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    register_http_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    app.jinja_env.globals["navbar"] = navbar
    app.before_request(require_login)
    app.before_request(two_factor_views.require_enrolment)
    app.before_request(confine_external_participants)
    register_cli(app)
    logging.getLogger("portal").setLevel(logging.INFO)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
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
def _sqlite_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys only when asked, per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
