"""Store the readers' page of every seeded meeting, as the first reader of each would, the
management page of those the coordinator's requests open, as its first manager would, and
the page of the documents the requests open, as their first reader would.

`flask bench-seed` writes meetings straight into the tables (Core inserts), so nothing
rendered their pages; in the portal, the first reader after a change renders and keeps them
(portal/meetings/page.py, portal/documents/page.py), and the first manager the management
page (manage_kept.py): most often the one who made the change, led back to that page by
every form. This keeps them for
the seeded ones beforehand, so the benchmark measures readers of kept pages, in as many
processes as the machine has cores. Run by bench/run.py after the seed.
"""

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from portal import create_app  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from portal.documents.models import Document  # noqa: E402
from portal.documents.page import keep_pages as keep_document_pages  # noqa: E402
from portal.meetings.manage_kept import store_manage_pages  # noqa: E402
from portal.meetings.models import Meeting  # noqa: E402
from portal.meetings.page import store_reader_pages  # noqa: E402
from portal.meetings.queries import load_meetings  # noqa: E402

BATCH = 200


def render(share: tuple[list[int], set[int], set[int], list[int]]) -> int:
    """Store the pages of the meetings in `share`: the readers' of the first set, the
    management page of the second; and the pages of its documents."""
    meeting_ids, readers, managed, document_ids = share
    app = create_app()
    with app.test_request_context("/", base_url="http://127.0.0.1"):
        for start in range(0, len(document_ids), BATCH):
            keep_document_pages(db.session, document_ids[start : start + BATCH])
            db.session.commit()
        for start in range(0, len(meeting_ids), BATCH):
            batch = meeting_ids[start : start + BATCH]
            versions = dict(
                db.session.execute(
                    select(Meeting.id, Meeting.page_version).where(Meeting.id.in_(batch))
                ).all()
            )
            for meeting in load_meetings(db.session, batch):
                if meeting.id in readers:
                    store_reader_pages(db.session, meeting, versions[meeting.id])
                if meeting.id in managed:
                    store_manage_pages(db.session, meeting, versions[meeting.id])
            db.session.commit()
            db.session.expunge_all()
    return len(meeting_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--targets", type=Path, help="only the meetings of bench/run.py's targets file"
    )
    args = parser.parse_args()
    started = time.monotonic()
    if args.targets:
        values = json.loads(args.targets.read_text())["values"]
        readers = {int(i) for role in values.values() for i in role.get("meeting", [])}
        managed = {int(i) for role in values.values() for i in role.get("meeting_manage", [])}
        documents = {int(i) for role in values.values() for i in role.get("document", [])}
    else:
        with create_app().app_context():
            readers = managed = set(db.session.scalars(select(Meeting.id)))
            documents = set(db.session.scalars(select(Document.id)))
    ids, document_ids = sorted(readers | managed), sorted(documents)
    shares = [
        (ids[n :: args.processes], readers, managed, document_ids[n :: args.processes])
        for n in range(args.processes)
    ]
    with ProcessPoolExecutor(args.processes) as pool:
        done = sum(pool.map(render, shares))
    _vacuum()
    print(
        f"stored the pages of {done:,} meetings and {len(document_ids):,} documents"
        f" in {time.monotonic() - started:.0f} s"
    )


STORED = ("meeting_pages", "meeting_manage_pages", "document_pages")


def _vacuum() -> None:
    """Storing pages anew (a run after another, or after a catalogue changed) leaves the
    older rows dead, and the pages' reads walk them until autovacuum passes: some 20 % on
    the management page. Vacuumed here, as a running portal's tables would be by then."""
    with create_app().app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in STORED:
                connection.exec_driver_sql(f"VACUUM (ANALYZE) {table}")


if __name__ == "__main__":
    main()
