"""Ten years of a large ministry, written in bulk: what `flask bench-seed` seeds.

On top of the demo data (`flask seed-demo`: its accounts are the ones the benchmark logs in
with), at `scale` 1: 10 parties, 30 MoUs, 150 working groups, 2,000 accounts, 20,000
meetings (5 agenda items, about 15 invitees, ~3 KB of Markdown minutes with a revision and
the co-chairs' approvals), 100,000 action items, 10,000 documents with text and a version,
500 trainings with 20,000 registrations, and beside them polls, CSIRT bulletins and points
of contact. Counts are multiplied by `scale` (with small floors, so a tiny scale still
makes a little of everything); the same scale always seeds the same data.

Rows go in with SQLAlchemy Core `insert()` executemany (no ORM object per row), in batches,
ids assigned here so related rows need no RETURNING; the search terms of every kind are
written in bulk the same way, made by the portal's own `terms_of`/`distinct_terms` from the
same text the portal's `keep_terms` declarations index. The demo member (member.cl) is put
in one of every ten generated groups of the MoUs Chile is party to; the demo coordinators
co-chair groups of their parties, organise meetings and trainings, so their own pages have
their controls.
"""

import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select, text

from bench import ministry_text as words
from portal.accounts.models import Party, User
from portal.accounts.passwords import hash_password
from portal.core.search import _KEPT, ENTRIES_FTS, SearchEntry, terms_of
from portal.mous.models import Membership, Mou, WorkingGroup, mou_parties

FULL = {
    "parties": 10, "mous": 30, "groups": 150, "accounts": 2_000, "meetings": 20_000,
    "actions": 100_000, "documents": 10_000, "trainings": 500, "registrations": 20_000,
    "polls": 300, "bulletins": 1_000,
}  # fmt: skip
# At least this many are generated whatever the scale (the demo's rows count towards the
# totals above: 8 parties, 7 MoUs and a few groups).
FLOORS = {"parties": 0, "mous": 2, "groups": 4, "accounts": 30, "trainings": 2, "polls": 2}
YEARS_BACK, YEARS_AHEAD = 9, 1  # ten years: nine past and the next one
BATCH = 5_000
MEMBER = "member.cl@demo.portal"
COORDINATOR = "coordinator.cl@demo.portal"
GROUP_SIZE = 12  # people of each group besides the demo accounts put in it
INVITEES = 15


def counts(scale: float) -> dict[str, int]:
    """The totals at this scale (floors aside)."""
    return {k: round(v * scale) for k, v in FULL.items()}


def extra(name: str, total: int, existing: int) -> int:
    """How many to generate: up to the total, at least the floor."""
    return max(FLOORS.get(name, 1), total - existing)


class Ids:
    """The next free id of each table, assigned here so rows can refer to each other."""

    def __init__(self, session):
        self.session = session
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        if table not in self.next:
            found = self.session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {table}"))  # noqa: S608
            self.next[table] = found + 1
        value = self.next[table]
        self.next[table] += 1
        return value


def write(session, table, rows: list[dict]) -> None:
    """Core executemany, in batches (every dict of a table has the same keys)."""
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def seed(session, scale: float, password: str) -> dict[str, int]:
    """Seed the ministry into a database holding the demo data; returns the row counts."""
    n = counts(scale)
    rng = random.Random(2026)  # noqa: S311  (the same data for the same scale)
    ids = Ids(session)
    now = datetime.now(UTC).replace(microsecond=0)
    parties = _parties(session, n["parties"])
    people = _accounts(session, ids, parties, n["accounts"], password)
    demo = {
        u.email: u for u in session.scalars(select(User).where(User.email.like("%@demo.portal")))
    }
    mous = _mous(session, ids, parties, n["mous"], rng, now)
    groups = _groups(session, ids, mous, n["groups"])
    members = _memberships(session, groups, people, demo, rng)
    from bench import ministry_work

    work = {k: extra(k, n[k], 0) for k in FULL if k not in ("parties", "mous", "groups")}
    written = ministry_work.seed_work(
        session, ids, rng, now, work, groups, members, demo, parties, people
    )
    write_search_entries(session, written.pop("terms"))
    _move_sequences(session, ids)
    return {
        "parties": len(parties), "mous": len(mous), "groups": len(groups),
        "accounts": extra("accounts", n["accounts"], 0), **written,
    }  # fmt: skip


def _parties(session, total: int) -> list[SimpleNamespace]:
    existing = list(session.scalars(select(Party).order_by(Party.id)))
    rows = []
    for i in range(extra("parties", total, len(existing))):
        code, name, zone, language = words.PARTIES[i % len(words.PARTIES)]
        rows.append(
            {
                "code": f"{code}{i // len(words.PARTIES) or ''}", "kind": "country",
                "name_en": name, "name_es": name, "timezone": zone, "language": language,
            }
        )  # fmt: skip
    if rows:
        write(session, Party.__table__, rows)
    return [
        SimpleNamespace(id=p.id, code=p.code, timezone=p.timezone, language=p.language)
        for p in session.scalars(select(Party).order_by(Party.id))
    ]


def _accounts(session, ids, parties, total: int, password: str) -> dict[int, list[int]]:
    """Generated accounts by party (one password hash for all): mostly members, one in
    twenty a coordinator, one in fifty an observer."""
    hashed = hash_password(password)
    rows, by_party = [], {p.id: [] for p in parties}
    for i in range(extra("accounts", total, 0)):
        party = parties[i % len(parties)]
        role = "coordinator" if i % 20 == 7 else "observer" if i % 50 == 13 else "member"
        first = words.FIRST_NAMES[i % len(words.FIRST_NAMES)]
        last = words.LAST_NAMES[(i * 7) % len(words.LAST_NAMES)]
        user_id = ids.take("users")
        rows.append(
            {
                "id": user_id, "email": f"person{i:05d}@{party.code.lower()}.bench.portal",
                "name": f"{first} {last}", "password_hash": hashed, "role": role,
                "party_id": party.id, "language": party.language, "timezone": party.timezone,
            }
        )  # fmt: skip
        if role == "member":
            by_party[party.id].append(user_id)
    write(session, User.__table__, rows)
    return by_party


def _mous(session, ids, parties, total: int, rng, now) -> list[SimpleNamespace]:
    """MoUs between two parties; every third one has the first party (Chile) in it."""
    existing = list(session.scalars(select(Mou).order_by(Mou.id)))
    mous = [
        SimpleNamespace(id=m.id, party_ids=[p.id for p in m.parties], generated=False)
        for m in existing
    ]
    rows, links = [], []
    for i in range(extra("mous", total, len(existing))):
        first = parties[0] if i % 3 == 0 else parties[1 + i % (len(parties) - 1)]
        others = [p for p in parties if p.id != first.id]
        second = others[(i * 5 + 1) % len(others)]
        mou_id = ids.take("mous")
        topic = words.TOPICS[i % len(words.TOPICS)]
        rows.append(
            {
                "id": mou_id, "title_en": f"MoU on {topic[0]} ({first.code}–{second.code}) {i}",
                "title_es": f"Memorándum sobre {topic[1]} ({first.code}–{second.code}) {i}",
                "summary_en": words.SUMMARY, "summary_es": words.SUMMARY, "status": "in_force",
                "signing_place": "Santiago", "signed_on": (now - timedelta(days=3650)).date(),
            }
        )  # fmt: skip
        links += [
            {"mou_id": mou_id, "party_id": first.id},
            {"mou_id": mou_id, "party_id": second.id},
        ]
        mous.append(SimpleNamespace(id=mou_id, party_ids=[first.id, second.id], generated=True))
    write(session, Mou.__table__, rows)
    write(session, mou_parties, links)
    return mous


def _groups(session, ids, mous, total: int) -> list[SimpleNamespace]:
    existing = {
        g.id: g.mou_id for g in session.scalars(select(WorkingGroup).order_by(WorkingGroup.id))
    }
    by_mou = {m.id: m for m in mous}
    groups = [
        SimpleNamespace(id=gid, mou=by_mou[mou_id], generated=False)
        for gid, mou_id in existing.items()
    ]
    generated = [m for m in mous if m.generated] or mous
    rows = []
    for i in range(extra("groups", total, len(existing))):
        mou = generated[i % len(generated)]
        topic = words.TOPICS[(i // len(generated)) % len(words.TOPICS)]
        group_id = ids.take("working_groups")
        rows.append(
            {
                "id": group_id, "mou_id": mou.id, "name_en": f"{topic[0]} {i + 1}",
                "name_es": f"{topic[1]} {i + 1}", "mandate_en": words.SUMMARY,
                "mandate_es": words.SUMMARY,
            }
        )  # fmt: skip
        groups.append(SimpleNamespace(id=group_id, mou=mou, generated=True))
    write(session, WorkingGroup.__table__, rows)
    return groups


def _memberships(session, groups, people, demo, rng) -> dict[int, list[tuple[int, int]]]:
    """Each generated group: GROUP_SIZE people of its two parties, the first of each party
    co-chair; the demo member in one of every ten groups of Chile's MoUs, the demo
    coordinators co-chairs of their parties' groups. Returns (user id, party id) by group."""
    present = {}
    for m in session.scalars(select(Membership)):
        present.setdefault(m.working_group_id, []).append(m.user_id)
    by_id = {u.id: u for u in demo.values()}
    members = {
        g.id: [(u, by_id[u].party_id) for u in present.get(g.id, []) if u in by_id] for g in groups
    }
    rows = []
    chile_groups = 0
    for group in (g for g in groups if g.generated):
        chosen = []
        for party_id in group.mou.party_ids:
            pool = people.get(party_id) or []
            for k, user_id in enumerate(rng.sample(pool, min(len(pool), GROUP_SIZE // 2))):
                chosen.append((user_id, party_id, k == 0))
        for user in demo.values():
            if user.party_id not in group.mou.party_ids or user.role.value != "coordinator":
                continue
            chosen.append((user.id, user.party_id, True))
        if demo[MEMBER].party_id in group.mou.party_ids:
            if chile_groups % 10 == 0:
                chosen.append((demo[MEMBER].id, demo[MEMBER].party_id, False))
            chile_groups += 1
        for user_id, party_id, co_chair in chosen:
            rows.append({"working_group_id": group.id, "user_id": user_id, "is_co_chair": co_chair})
            members[group.id].append((user_id, party_id))
    write(session, Membership.__table__, rows)
    return members


# Search terms ---------------------------------------------------------------------------


def write_search_entries(session, entries: dict[str, list[tuple]]) -> None:
    """The entries of every kind written in bulk: (object id, the text `keep_terms` indexes
    [, the scope it declares]); on SQLite the FTS5 rows too, keyed by the entries' ids."""
    postgres = session.get_bind().dialect.name == "postgresql"
    table = SearchEntry.__table__
    entry_id = Ids(session)
    for kind, texts in entries.items():
        rows, fts = [], []
        for object_id, source, *scope in texts:
            terms = terms_of(source)
            row = {"kind": kind, "object_id": object_id, "terms": terms, "scope": "".join(scope)}
            if not postgres:
                row["id"] = entry_id.take("search_entries")
                fts.append({"rowid": row["id"], "terms": terms})
            rows.append(row)
        write(session, table, rows)
        if fts:
            write(session, ENTRIES_FTS, fts)


def entry_text(kind: str, row: dict) -> str:
    """The text the portal's own declaration (`keep_terms`) makes of a row of `kind`."""
    kept = next(k for k in _KEPT if k.kind == kind)
    return kept.text_of(SimpleNamespace(**row))


def entry_scope(kind: str, row: dict, owners: list[int]) -> str:
    """The scope the portal's own declaration (`keep_terms`) gives a row of `kind`."""
    kept = next(k for k in _KEPT if k.kind == kind)
    people = [SimpleNamespace(id=person) for person in owners]
    return kept.scope_of(SimpleNamespace(**row, owners=people))


def _move_sequences(session, ids: Ids) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ids.next:  # names of this module, never input
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        )
