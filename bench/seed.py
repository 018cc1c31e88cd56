"""Seed the benchmark database: the demo data plus 20,000 meetings and 10,000 documents, fast
(PostgreSQL COPY).

Run by bench/run.py against a throw-away database:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python bench/seed.py --out bench/results/targets.json

On top of `flask seed-demo`, every meeting belongs to one of the working groups the demo
member (member.cl@demo.portal) is in, spread evenly over the 60 whole months around today;
each has 5 agenda items, 15 invitees (the group's members plus generated people of the MoU's
parties), and about 3 KB of Markdown minutes (a Minutes row with its HTML rendered once by
portal.core.markdown, and its first MinutesRevision). Past minutes are approved by both parties'
co-chairs, those of the last weeks are circulated, future ones are drafts. Documents (rows
only, no file: the lists read only the rows) go to the same groups and their MoUs'
libraries, over the same months, of every TLP label. `--meetings` and `--documents` scale it.

Writes a JSON file with what the load generator requests: the meeting ids, the months, the
working groups and MoUs the demo member may see (computed with the portal's own access rule).
"""

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from portal import create_app  # noqa: E402
from portal.accounts.models import Party, Role, User  # noqa: E402
from portal.accounts.passwords import hash_password  # noqa: E402
from portal.core.extensions import db  # noqa: E402
from portal.core.markdown import render_markdown  # noqa: E402
from portal.meetings import access as meeting_access  # noqa: E402
from portal.meetings.models import Meeting  # noqa: E402
from portal.mous import access as mou_access  # noqa: E402
from portal.mous.demo import MEMBERSHIPS  # noqa: E402
from portal.mous.models import WorkingGroup  # noqa: E402
from portal.web.commands import seed_demo  # noqa: E402

MEETINGS = 20_000
# Document rows (no file: the library's and the group's lists show only the rows), spread
# over the member's groups and their MoUs' libraries; the scale knob is --documents.
DOCUMENTS = 10_000
DOCUMENT_TLPS = ("green", "green", "green", "amber", "clear", "amber_strict", "green", "red")
DOCUMENT_CATEGORIES = ("best_practice", "protocol", "national_strategy", "legislation", "other")
AGENDA_ITEMS = 5
INVITEES = 15
MONTHS = 60  # 30 before the current month, the current one and 29 after
EXTRA_PEOPLE_PER_PARTY = 20
MEMBER = "member.cl@demo.portal"
# The demo accounts' password: the Makefile's DEV_PASSWORD, as `make run` gives it.
DEMO_PASSWORD = os.environ.get("PORTAL_DEMO_PASSWORD", "demo-portal-2026")
CO_CHAIRS = {"CL": "coordinator.cl@demo.portal", "GB": "coordinator.gb@demo.portal"}
CO_CHAIRS["CO"] = "coordinator.co@demo.portal"
ORGANISER = "coordinator.cl@demo.portal"
CIRCULATED_WINDOW = timedelta(days=14)  # minutes of the last two weeks await approval

FIRST_NAMES = [
    "Ana", "Benjamín", "Camila", "Diego", "Elena", "Francisco", "Gabriela", "Héctor",
    "Isabel", "Joaquín", "Karen", "Lucas", "Martina", "Nicolás", "Olivia", "Pablo",
    "Rachel", "Samuel", "Tomás", "Valentina",
]  # fmt: skip
LAST_NAMES = [
    "Araya", "Brown", "Castro", "Davies", "Espinoza", "Fuentes", "García", "Hughes",
    "Ibáñez", "Jones", "Kelly", "López", "Morales", "Nash", "Ortiz", "Pérez",
    "Quinn", "Rojas", "Smith", "Vargas",
]  # fmt: skip
TOPICS = [
    ("Incident exchange protocol", "Protocolo de intercambio de incidentes"),
    ("CSIRT cooperation", "Cooperación entre CSIRT"),
    ("National strategy review", "Revisión de la estrategia nacional"),
    ("Training programme", "Programa de capacitación"),
    ("Critical infrastructure", "Infraestructura crítica"),
    ("Threat intelligence sharing", "Intercambio de inteligencia de amenazas"),
    ("Cyber exercise planning", "Planificación de ejercicio cibernético"),
    ("Legislation update", "Actualización legislativa"),
]
AGENDA = [
    "Opening and approval of the agenda",
    "Report on the actions of the previous meeting",
    "Update from each delegation",
    "Joint activities for the next quarter",
    "Any other business and next meeting",
]

MINUTES_MD = """# Minutes of the working group meeting

**Chair:** the co-chairs of both delegations. **Rapporteur:** the coordinator of the host party.

## Attendance

Present for the host party: the national cybersecurity coordinator, two analysts of the national
CSIRT, a representative of the Ministry of Foreign Affairs and the legal adviser of the Ministry of
the Interior. Present for the guest party: the head of the international cyber policy team, a
liaison officer of the national CSIRT and an officer of the embassy. The secretariat took notes.

## 1. Opening and approval of the agenda

The co-chairs opened the meeting and welcomed the delegations. The agenda circulated two weeks
before the meeting was approved without changes. The group noted the apologies of two members
who could not attend and agreed that their comments, sent in writing, would be read under item 3.

## 2. Report on the actions of the previous meeting

- The exchange of contact points between the national CSIRTs is **complete**; the list is kept
  in the shared folder and reviewed every quarter.
- The draft protocol for sharing incident indicators was circulated; comments from both parties
  were received and merged into [the second draft](https://example.org/protocol-draft-2).
- The joint training needs survey reached 48 institutions; 31 answered.

## 3. Update from each delegation

Each delegation presented the main developments since the last meeting: new legislation under
discussion, the state of the national cybersecurity strategy, and significant incidents that
may be of interest to the other party. The written comments of the absent members were read.

> The group stressed that information marked TLP:AMBER stays within the organisations of the
> members and must not be forwarded without the agreement of the party that shared it.

## 4. Joint activities for the next quarter

| Activity | Lead | Due |
| --- | --- | --- |
| Tabletop exercise on ransomware | Host party | End of next quarter |
| Second draft of the indicator-sharing protocol | Both CSIRTs | Six weeks |
| Workshop on secure software development | Guest party | To be confirmed |
| Review of the training survey results | Rapporteur | Next meeting |

The group discussed the budget needed for the exercise and agreed to ask each ministry for
support. Members offered speakers for the workshop; the list will be completed by e-mail.

## 5. Decisions

1. The second draft of the protocol will be circulated for comments within six weeks.
2. The tabletop exercise will take place online, in English and Spanish, with interpretation.
3. The next meeting will be held in person if the budget allows, otherwise by video.

## 6. Any other business and next meeting

No other business was raised. The co-chairs thanked the members for their work and closed the
meeting. The date of the next meeting will be confirmed by the secretariat, and these minutes
will be circulated to both co-chairs for approval.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the targets")
    parser.add_argument("--meetings", type=int, default=MEETINGS)
    parser.add_argument("--documents", type=int, default=DOCUMENTS)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        started = time.monotonic()
        summary = seed(args.meetings, args.documents)
        summary["seconds"] = round(time.monotonic() - started, 1)
        summary.update(targets())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary))
    print(
        f"seeded {summary['meetings']} meetings, {summary['agenda_items']} agenda items, "
        f"{summary['invitees']} invitees, {summary['minutes']} minutes "
        f"({summary['minutes_bytes']} bytes of Markdown each) in {summary['seconds']} s"
    )


def seed(count: int, documents: int = DOCUMENTS) -> dict:
    session = db.session
    if session.scalar(select(func.count()).select_from(Meeting)):
        raise SystemExit("This database already has meetings: seed an empty one.")
    seed_demo(session, DEMO_PASSWORD)  # its two meetings join the generated ones
    session.commit()
    users = {u.email: u for u in session.scalars(select(User))}
    groups = [
        session.scalar(select(WorkingGroup).where(WorkingGroup.name_en == name))
        for name, people in MEMBERSHIPS.items()
        if any(email == MEMBER for email, _ in people)
    ]
    pools = _extra_people(session, groups)
    rng = random.Random(2026)  # noqa: S311  (the same data on every run)
    months = _month_range()
    span = (months[-1] - months[0]).days
    description_md = "Regular meeting of the working group. Documents are in the shared folder."
    description_html = render_markdown(description_md)
    minutes_html = render_markdown(MINUTES_MD)
    now = datetime.now(UTC)
    meeting_id = _next_id("meetings")
    agenda_id = _next_id("agenda_items")
    invitee_id = _next_id("meeting_invitees")
    minutes_id = _next_id("minutes")
    revision_id = _next_id("minutes_revisions")
    approval_id = _next_id("minutes_approvals")
    rows = {name: [] for name in TABLES}
    for n in range(count):
        group = groups[n % len(groups)]
        parties = [p.code for p in group.mou.parties]
        zone = next(p.timezone for p in group.mou.parties if p.code == parties[n % 2])
        day = months[0] + timedelta(days=n * span // count)
        local = datetime.combine(day, clock(rng.randrange(8, 17), rng.choice((0, 30))))
        starts = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        ends = starts + timedelta(minutes=rng.choice((60, 90, 120)))
        past = ends < now
        topic_en, topic_es = TOPICS[n % len(TOPICS)]
        cancelled = rng.random() < 0.03
        rows["meetings"].append(
            (
                meeting_id, group.id, None, None, False, f"bench-{n}@bench.portal", 0,
                f"{group.name_en}: {topic_en} ({n + 1})", f"{group.name_es}: {topic_es} ({n + 1})",
                description_md, description_html, starts, ends, zone,
                "Ministry of Foreign Affairs, meeting room 3" if n % 3 else "",
                "https://video.example.org/room/bench" if n % 3 != 1 else "",
                "amber", "cancelled" if cancelled else "scheduled",
                users[ORGANISER].id, starts - timedelta(days=21), starts - timedelta(days=7),
            )
        )  # fmt: skip
        for position, title in enumerate(AGENDA, start=1):
            presenter = rng.choice(("", "Co-chairs", "CSIRT", "Secretariat"))
            rows["agenda_items"].append(
                (agenda_id, meeting_id, position, title, presenter, rng.choice((None, 10, 15, 30)))
            )
            agenda_id += 1
        members = [users[email] for email, _ in MEMBERSHIPS[group.name_en]]
        pool = pools[group.id]
        people = members + rng.sample(pool, INVITEES - len(members))
        for person in people:
            reply = rng.choice(("needs_action", "accepted", "accepted", "tentative", "declined"))
            replied = None if reply == "needs_action" else starts - timedelta(days=3)
            attendance = rng.choice(("present", "present", "absent")) if past else "unknown"
            comment = "Joining from the embassy." if rng.random() < 0.1 else ""
            rows["meeting_invitees"].append(
                (invitee_id, meeting_id, person.id, reply, comment, replied, attendance)
            )
            invitee_id += 1
        if not past:
            state = "draft"
        elif now - ends < CIRCULATED_WINDOW:
            state = "circulated"
        else:
            state = "approved"
        rows["minutes"].append((minutes_id, meeting_id, state, 1, MINUTES_MD, minutes_html))
        saved = min(ends + timedelta(days=1), now) if past else starts - timedelta(days=1)
        rows["minutes_revisions"].append(
            (revision_id, minutes_id, 1, MINUTES_MD, users[ORGANISER].id, saved)
        )
        revision_id += 1
        approving = parties if state == "approved" else parties[:1] if state == "circulated" else []
        for code in approving:
            party_id = next(p.id for p in group.mou.parties if p.code == code)
            rows["minutes_approvals"].append(
                (
                    approval_id, minutes_id, party_id, users[CO_CHAIRS[code]].id, 1,
                    saved + timedelta(days=2), None,
                )
            )  # fmt: skip
            approval_id += 1
        minutes_id += 1
        meeting_id += 1
    rows["documents"] = _documents(documents, groups, users, rng, months)
    _copy(rows)
    session.execute(text("ANALYZE"))
    session.commit()
    return {
        "meetings": len(rows["meetings"]),
        "agenda_items": len(rows["agenda_items"]),
        "invitees": len(rows["meeting_invitees"]),
        "minutes": len(rows["minutes"]),
        "documents": len(rows["documents"]),
        "minutes_bytes": len(MINUTES_MD.encode()),
        "minutes_html_bytes": len(minutes_html.encode()),
        "extra_people": len({p.id for pool in pools.values() for p in pool}),
        "groups": [g.name_en for g in groups],
        "first_month": months[0].isoformat()[:7],
        "last_month": (months[-1] - timedelta(days=1)).isoformat()[:7],
    }


TABLES = {
    "meetings": (
        "id, working_group_id, series_id, original_start_local, is_exception, uid, sequence, "
        "title_en, title_es, description_md, description_html, starts_at, ends_at, timezone, "
        "place, video_url, tlp, status, organiser_id, created_at, updated_at"
    ),
    "agenda_items": "id, meeting_id, position, title, presenter, planned_minutes",
    "meeting_invitees": "id, meeting_id, user_id, reply, comment, replied_at, attendance",
    "minutes": "id, meeting_id, state, revision_number, body_md, body_html",
    "minutes_revisions": "id, minutes_id, number, body_md, author_id, created_at",
    "minutes_approvals": (
        "id, minutes_id, party_id, user_id, revision_number, approved_at, withdrawn_at"
    ),
    "documents": (
        "id, mou_id, working_group_id, title, description_md, description_html, language, "
        "category, tlp, owning_party_id, created_by_id, created_at, updated_at"
    ),
}


def _documents(count, groups, users, rng, months) -> list[tuple]:
    """`count` document rows: each in one of the member's groups or (one in four) in its
    MoU's library, owned by either party, mostly TLP:GREEN, added over the seeded months."""
    document_id = _next_id("documents")
    span = (months[-1] - months[0]).days
    authors = [users[MEMBER], users[ORGANISER]]
    rows = []
    for n in range(count):
        group = groups[n % len(groups)]
        party = group.mou.parties[n % len(group.mou.parties)]
        added = datetime.combine(months[0], clock(9), tzinfo=UTC) + timedelta(
            days=n * span // max(count, 1), minutes=rng.randrange(600)
        )
        topic_en, _ = TOPICS[n % len(TOPICS)]
        rows.append(
            (
                document_id + n, group.mou_id, None if n % 4 == 0 else group.id,
                f"{topic_en}: working paper {n + 1}", "", "", ("en", "es")[n % 2],
                DOCUMENT_CATEGORIES[n % len(DOCUMENT_CATEGORIES)],
                DOCUMENT_TLPS[n % len(DOCUMENT_TLPS)], party.id, authors[n % 2].id, added, added,
            )
        )  # fmt: skip
    return rows


def _copy(rows: dict[str, list[tuple]]) -> None:
    """COPY every table in one transaction, then move each id sequence past the rows."""
    connection = db.session.connection()
    cursor = connection.connection.driver_connection.cursor()
    for table, columns in TABLES.items():  # constants above, never input
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows[table]:
                copy.write_row(row)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
        )


def _next_id(table: str) -> int:
    return db.session.scalar(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))  # noqa: S608


def _month_range() -> list[date]:
    """The first day of each of the 60 months, plus the first day after the last one."""
    today = datetime.now(UTC).date()
    index = today.year * 12 + today.month - 1 - MONTHS // 2
    return [date(i // 12, i % 12 + 1, 1) for i in range(index, index + MONTHS + 1)]


def _extra_people(session, groups: list[WorkingGroup]) -> dict[int, list[User]]:
    """Generated members of each MoU party, one password hash for all; by working group."""
    codes = sorted({p.code for g in groups for p in g.mou.parties})
    parties = {p.code: p for p in session.scalars(select(Party).where(Party.code.in_(codes)))}
    password_hash = hash_password(DEMO_PASSWORD)
    rows = []
    for code in codes:
        party = parties[code]
        for i in range(EXTRA_PEOPLE_PER_PARTY):
            first = FIRST_NAMES[i % len(FIRST_NAMES)]
            last = LAST_NAMES[(i * 7 + len(code)) % len(LAST_NAMES)]
            rows.append(
                {
                    "email": f"bench.{code.lower()}.{i:02d}@bench.portal",
                    "name": f"{first} {last}",
                    "password_hash": password_hash,
                    "role": Role.MEMBER,
                    "party_id": party.id,
                    "language": party.language,
                    "timezone": party.timezone,
                }
            )
    session.execute(insert(User), rows)
    session.flush()
    people = list(session.scalars(select(User).where(User.email.like("bench.%@bench.portal"))))
    return {
        g.id: [p for p in people if p.party_id in {party.id for party in g.mou.parties}]
        for g in groups
    }


def targets() -> dict:
    """What the demo member may see, by the portal's own rule: meeting ids, months with counts."""
    member = db.session.scalar(select(User).where(User.email == MEMBER))
    visible = meeting_access.visible_meetings_clause(member)
    ids = list(db.session.scalars(select(Meeting.id).where(visible).order_by(Meeting.id)))
    local_month = func.to_char(func.timezone(member.timezone, Meeting.starts_at), "YYYY-MM")
    per_month = dict(
        db.session.execute(
            select(local_month, func.count()).where(visible).group_by(local_month)
        ).all()
    )
    months = [m for m in sorted(per_month) if _month_range()[0].isoformat()[:7] <= m]
    months = [m for m in months if m < _month_range()[-1].isoformat()[:7]]
    groups = list(
        db.session.scalars(
            select(WorkingGroup.id)
            .where(mou_access.visible_working_groups_clause(member))
            .order_by(WorkingGroup.id)
        )
    )
    mous = sorted(
        set(db.session.scalars(select(WorkingGroup.mou_id).where(WorkingGroup.id.in_(groups))))
    )
    return {
        "group_ids": groups,
        "mou_ids": mous,
        "member": MEMBER,
        "password": DEMO_PASSWORD,
        "meeting_ids": ids,
        "months": months,
        "meetings_per_month": {m: per_month[m] for m in months},
    }


if __name__ == "__main__":
    main()
