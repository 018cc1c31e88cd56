"""`python -m tests.notifications.worker_process DB_URL INSTANCE PORT`: a worker in its own
process, for the test that kills one mid-batch."""

import sys
from pathlib import Path

from portal.core.extensions import db
from portal.notifications.worker import run_once
from tests.conftest import build_app


def main(database_url: str, instance: str, port: str) -> None:
    app = build_app(
        database_url,
        Path(instance),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=int(port),
        MAIL_USE_TLS=False,
        MAIL_TIMEOUT=60,
    )
    with app.app_context():
        run_once(db.session, worker="doomed-worker")


if __name__ == "__main__":
    main(*sys.argv[1:4])
