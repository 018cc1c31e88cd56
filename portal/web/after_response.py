"""Work that waits until the answer has been sent (SECURITY 14: no timing oracle).

A denied object answers like a missing one, and a password reset for a known address like
one for an unknown address: the same page and the same work before it leaves. What tells
them apart (the audit row of a denial, the reset token and its mail) is written once the
server has sent the response and closed it (`Response.call_on_close`), in a transaction of
its own. A task that fails is logged with the request id and does not touch the others.
"""

import logging
from collections.abc import Callable

from flask import Flask, current_app, g, request
from flask.wrappers import Response
from sqlalchemy.orm import Session

from portal.core.extensions import db

log = logging.getLogger("portal.web.after_response")

Task = Callable[[Session], None]


def after_response(task: Task) -> None:
    """Run `task(session)` once this request's response has been sent, then commit."""
    g.setdefault("after_response", []).append(task)


def request_origin() -> tuple[str | None, str | None]:
    """(address, request id) of the request a task was deferred from, inside that task."""
    return g.get("request_origin", (None, None))


def _hand_over(response: Response) -> Response:
    tasks = g.pop("after_response", None)
    if tasks:
        app = current_app._get_current_object()
        origin = (request.remote_addr, g.get("request_id"))

        def finish() -> None:  # once, even if the response is closed twice
            pending = tasks.copy()
            tasks.clear()
            run_tasks(app, pending, origin)

        response.call_on_close(finish)
    return response


def run_tasks(app: Flask, tasks: list[Task], origin: tuple[str | None, str | None]) -> None:
    for task in tasks:
        with app.app_context():
            g.request_origin = origin
            try:
                task(db.session)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("work after the response failed (request %s)", origin[1])


def register_after_response(app: Flask) -> None:
    app.after_request(_hand_over)
