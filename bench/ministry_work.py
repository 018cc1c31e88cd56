"""The ministry's ten years of work, in bulk (bench/ministry.py seeds the people first):
meetings with agendas, invitees and minutes, action items, documents with text, trainings
with registrations, polls, CSIRT bulletins and points of contact."""

import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from bench import ministry_text as words
from bench.ministry import YEARS_AHEAD, YEARS_BACK, entry_scope, entry_text, write
from portal.actions.models import PRIORITY_RANK, ActionItem, Priority, action_owners
from portal.contacts.models import PointOfContact
from portal.core.markdown import render_markdown
from portal.csirt.models import Bulletin, Indicator
from portal.documents.models import Document, DocumentLanguage, DocumentText, DocumentVersion
from portal.documents.search import _fts as document_fts
from portal.documents.search import distinct_terms, index_terms
from portal.meetings.models import (
    AgendaItem,
    Invitee,
    Meeting,
    Minutes,
    MinutesApproval,
    MinutesRevision,
)
from portal.polls.models import Poll, PollOption, PollParticipant
from portal.trainings.models import Registration, Training

CIRCULATED = timedelta(days=14)  # minutes of the last two weeks await approval
DAY = timedelta(days=1)


def seed_work(session, ids, rng, now, n, groups, members, demo, parties, people) -> dict:
    zones = {p.id: p.timezone for p in parties}
    groups = [g for g in groups if members[g.id]]  # the demo's groups without people: none
    first = (now - timedelta(days=365 * YEARS_BACK)).replace(hour=0, minute=0, second=0)
    span = timedelta(days=365 * (YEARS_BACK + YEARS_AHEAD))
    context = {
        "session": session, "ids": ids, "rng": rng, "now": now, "first": first, "span": span,
        "groups": groups, "members": members, "people": people, "zones": zones, "demo": demo,
        "terms": {k: [] for k in ("meeting", "agenda_item", "minutes", "action_item",
                                  "training", "csirt_bulletin")},
    }  # fmt: skip
    written = {
        **_meetings(context, n["meetings"]),
        "action_items": _actions(context, n["actions"]),
        "documents": _documents(context, n["documents"]),
        **_trainings(context, n["trainings"], n["registrations"]),
        "polls": _polls(context, n["polls"]),
        "bulletins": _bulletins(context, n["bulletins"]),
        "contacts": _contacts(context),
    }
    written["terms"] = context["terms"]
    return written


def _when(c, n: int, count: int) -> datetime:
    """The n-th of `count` moments spread over the ten years, at a working hour."""
    moment = c["first"] + c["span"] * n / max(count, 1)
    return moment.replace(hour=c["rng"].randrange(8, 17), minute=c["rng"].choice((0, 30)))


def _organiser(c, group) -> int:
    """A demo coordinator of the group's parties when there is one, else its first member."""
    for user in c["demo"].values():
        if user.role.value == "coordinator" and user.party_id in group.mou.party_ids:
            return user.id
    return c["members"][group.id][0][0]


def _meetings(c, count: int) -> dict:
    rng, ids, now, groups = c["rng"], c["ids"], c["now"], c["groups"]
    minutes_html = render_markdown(words.MINUTES_MD)
    description = "Regular meeting of the working group. Documents are in the shared folder."
    description_html = render_markdown(description)
    rows = {k: [] for k in ("meetings", "agenda", "invitees", "minutes", "revisions", "approvals")}
    c["meetings_by_group"] = {g.id: [] for g in groups}
    for n in range(count):
        group = groups[n % len(groups)]
        people = c["members"][group.id]
        zone = c["zones"][group.mou.party_ids[n % 2]]
        starts = _when(c, n, count).replace(tzinfo=None)
        starts = starts.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        ends = starts + timedelta(minutes=rng.choice((60, 90, 120)))
        past = ends < now
        meeting_id = ids.take("meetings")
        c["meetings_by_group"][group.id].append(meeting_id)
        topic = words.TOPICS[n % len(words.TOPICS)]
        meeting = {
            "id": meeting_id, "working_group_id": group.id,
            "uid": f"bench-{meeting_id}@bench.portal",
            "sequence": 0, "title_en": f"{topic[0]} ({n + 1})", "title_es": f"{topic[1]} ({n + 1})",
            "description_md_en": description, "description_html_en": description_html,
            "description_md_es": "", "description_html_es": "",
            "starts_at": starts, "ends_at": ends, "timezone": zone,
            "place": "Ministry of Foreign Affairs, meeting room 3" if n % 3 else "",
            "video_url": "https://video.example.org/room/bench" if n % 3 != 1 else "",
            "tlp": "amber" if n % 4 else "green",
            "status": "cancelled" if rng.random() < 0.03 else "scheduled",
            "organiser_id": _organiser(c, group), "created_at": starts - 21 * DAY,
            "updated_at": starts - 7 * DAY,
        }  # fmt: skip
        rows["meetings"].append(meeting)
        c["terms"]["meeting"].append((meeting_id, entry_text("meeting", meeting)))
        for position, title in enumerate(words.AGENDA, start=1):
            item = {
                "id": c["ids"].take("agenda_items"), "meeting_id": meeting_id,
                "position": position, "title_en": title, "title_es": "",
                "presenter": rng.choice(("", "Co-chairs", "CSIRT", "Secretariat")),
                "planned_minutes": rng.choice((None, 10, 15, 30)),
            }  # fmt: skip
            rows["agenda"].append(item)
            c["terms"]["agenda_item"].append((item["id"], entry_text("agenda_item", item)))
        for user_id, _ in people[:INVITEES_PER_MEETING]:
            reply = rng.choice(("needs_action", "accepted", "accepted", "tentative", "declined"))
            rows["invitees"].append(
                {
                    "meeting_id": meeting_id, "user_id": user_id, "reply": reply, "comment": "",
                    "replied_at": None if reply == "needs_action" else starts - 3 * DAY,
                    "attendance": rng.choice(("present", "absent")) if past else "unknown",
                }
            )  # fmt: skip
        state = "draft" if not past else "circulated" if now - ends < CIRCULATED else "approved"
        minutes_id = ids.take("minutes")
        rows["minutes"].append(
            {
                "id": minutes_id, "meeting_id": meeting_id, "state": state,
                "revision_number": 1, "body_md": words.MINUTES_MD, "body_html": minutes_html,
            }
        )  # fmt: skip
        c["terms"]["minutes"].append((minutes_id, words.MINUTES_MD))
        saved = min(ends + DAY, now) if past else starts - DAY
        rows["revisions"].append(
            {
                "minutes_id": minutes_id, "number": 1, "body_md": words.MINUTES_MD,
                "author_id": meeting["organiser_id"], "created_at": saved,
            }
        )  # fmt: skip
        approving = group.mou.party_ids if state == "approved" else group.mou.party_ids[:1]
        for party_id in approving if state != "draft" else []:
            approver = next((u for u, p in people if p == party_id), None)
            if approver is not None:
                rows["approvals"].append(
                    {
                        "minutes_id": minutes_id, "party_id": party_id, "user_id": approver,
                        "revision_number": 1, "approved_at": saved + 2 * DAY,
                    }
                )  # fmt: skip
    session = c["session"]
    for table, key in (
        (Meeting.__table__, "meetings"), (AgendaItem.__table__, "agenda"),
        (Invitee.__table__, "invitees"), (Minutes.__table__, "minutes"),
        (MinutesRevision.__table__, "revisions"), (MinutesApproval.__table__, "approvals"),
    ):  # fmt: skip
        write(session, table, rows[key])
    return {
        "meetings": len(rows["meetings"]), "agenda_items": len(rows["agenda"]),
        "invitees": len(rows["invitees"]), "minutes": len(rows["minutes"]),
    }  # fmt: skip


INVITEES_PER_MEETING = 15


def _actions(c, count: int) -> int:
    ids, now, groups = c["ids"], c["now"], c["groups"]
    description_html = render_markdown(words.ACTION_MD)
    items, owners = [], []
    for n in range(count):
        group = groups[(n * 7) % len(groups)]
        people = c["members"][group.id]
        user_id, party_id = people[n % len(people)]
        due = _when(c, n, count)
        meetings = c["meetings_by_group"][group.id]
        title_en, title_es = words.ACTIONS[n % len(words.ACTIONS)]
        priority = (Priority.NORMAL, Priority.HIGH, Priority.LOW)[n % 3]
        if due < now - 60 * DAY:
            status = "done" if n % 10 else "cancelled"
        else:
            status = ("open", "open", "in_progress")[n % 3]
        item = {
            "id": ids.take("action_items"), "working_group_id": group.id,
            "meeting_id": meetings[n % len(meetings)] if meetings and n % 2 else None,
            "responsible_party_id": party_id,
            # Every third item in Spanish only (a translation missing), the rest in both.
            "title_en": title_en if n % 3 else "", "title_es": title_es,
            "description_md_en": words.ACTION_MD, "description_html_en": description_html,
            "description_md_es": "", "description_html_es": "",
            "due_on": due.date(), "priority": priority.value,
            "priority_rank": PRIORITY_RANK[priority],
            "status": status, "completed_on": due.date() if status == "done" else None,
            "created_by_id": _organiser(c, group), "created_at": due - 30 * DAY,
            "updated_at": due - 30 * DAY,
        }  # fmt: skip
        items.append(item)
        owners.append({"action_item_id": item["id"], "user_id": user_id})
        scope = entry_scope("action_item", item, owners=[user_id])
        c["terms"]["action_item"].append((item["id"], entry_text("action_item", item), scope))
    write(c["session"], ActionItem.__table__, items)
    write(c["session"], action_owners, owners)
    return len(items)


def _documents(c, count: int) -> int:
    rng, ids, groups, session = c["rng"], c["ids"], c["groups"], c["session"]
    postgres = session.get_bind().dialect.name == "postgresql"
    tlps = ("green", "green", "green", "amber", "clear", "amber_strict", "green", "red")
    categories = ("best_practice", "protocol", "national_strategy", "legislation", "other")
    documents, texts, versions, fts = [], [], [], []
    for n in range(count):
        group = groups[n % len(groups)]
        user_id, party_id = c["members"][group.id][n % len(c["members"][group.id])]
        added = _when(c, n, count)
        language = ("en", "es")[n % 2]
        topic = words.TOPICS[n % len(words.TOPICS)][n % 2]
        content = "\n\n".join(rng.sample(words.PARAGRAPHS, 4))
        document = {
            "id": ids.take("documents"), "mou_id": group.mou.id,
            "working_group_id": None if n % 4 == 0 else group.id,
            f"title_{language}": f"{topic}: working paper {n + 1}",
            f"title_{('es', 'en')[n % 2]}": "",
            "description_md_en": "", "description_html_en": "",
            "description_md_es": "", "description_html_es": "", "language": language,
            "category": categories[n % len(categories)], "tlp": tlps[n % len(tlps)],
            "owning_party_id": party_id, "created_by_id": user_id, "created_at": added,
            "updated_at": added,
        }  # fmt: skip
        indexed = f"{document[f'title_{language}']}\n\n{content}"
        if postgres:
            document["search_terms"] = distinct_terms(indexed, _language(language))
        else:
            fts.append(
                {"rowid": document["id"], "terms": index_terms(indexed, _language(language))}
            )
        documents.append(document)
        texts.append({"document_id": document["id"], "content": content})
        versions.append(
            {
                "document_id": document["id"], "number": 1, "file_name": f"paper-{n + 1}.pdf",
                "size": 48_213 + n, "content_type": "application/pdf", "sha256": "0" * 64,
                "storage_key": f"bench/{document['id']}", "uploaded_by_id": user_id,
                "uploaded_at": added,
            }
        )  # fmt: skip
    write(session, Document.__table__, documents)
    write(session, DocumentText.__table__, texts)
    write(session, DocumentVersion.__table__, versions)
    if fts:
        write(session, document_fts, fts)
    return len(documents)


def _language(code: str) -> DocumentLanguage:
    return DocumentLanguage(code)


def _trainings(c, count: int, registrations: int) -> dict:
    ids, groups, now = c["ids"], c["groups"], c["now"]
    html = render_markdown(words.TRAINING_MD)
    per_training = max(1, registrations // count)
    trainings, rows = [], []
    for n in range(count):
        group = groups[(n * 3) % len(groups)]
        starts = _when(c, n, count)
        zone = c["zones"][group.mou.party_ids[0]]
        people = list(dict.fromkeys(u for u, _ in c["members"][group.id]))
        for party_id in group.mou.party_ids:
            people += [u for u in c["people"].get(party_id, []) if u not in people]
        taken = min(per_training, len(people))
        training = {
            "id": ids.take("trainings"), "mou_id": group.mou.id,
            "working_group_id": group.id if n % 2 else None,
            "uid": f"bench-training-{n}@bench.portal", "sequence": 0,
            "title_en": f"Incident handling course {n + 1}",
            "title_es": f"Curso de gestión de incidentes {n + 1}",
            "description_md_en": words.TRAINING_MD, "description_md_es": words.TRAINING_MD,
            "description_html_en": html, "description_html_es": html, "audience": "public",
            "format": ("online", "in_person", "hybrid")[n % 3], "venue": "National CSIRT",
            "link": "https://video.example.org/training", "starts_at": starts,
            "ends_at": starts + timedelta(hours=3), "timezone": zone, "language": "both",
            "trainers": "National CSIRT", "capacity": per_training + 10,
            "registration_closes_at": starts - 2 * DAY, "allow_external": False,
            "status": "scheduled", "registrations_taken": taken,
            "organiser_id": _organiser(c, group), "created_at": starts - 60 * DAY,
            "updated_at": starts - 60 * DAY,
        }  # fmt: skip
        trainings.append(training)
        c["terms"]["training"].append((training["id"], entry_text("training", training)))
        past = starts < now
        for k, user_id in enumerate(people[:taken]):
            rows.append(
                {
                    "training_id": training["id"], "user_id": user_id,
                    "organisation": "Ministry of the Interior", "sector": "public",
                    "status": "confirmed" if k % 10 else "cancelled",
                    "queue_number": k + 1,
                    "attendance": ("present", "absent")[k % 2] if past and k % 10 else None,
                    "created_at": starts - 30 * DAY, "confirmed_at": starts - 30 * DAY,
                }
            )  # fmt: skip
    write(c["session"], Training.__table__, trainings)
    write(c["session"], Registration.__table__, rows)
    return {"trainings": len(trainings), "registrations": len(rows)}


def _polls(c, count: int) -> int:
    ids, groups, now = c["ids"], c["groups"], c["now"]
    polls, options, participants = [], [], []
    for n in range(count):
        group = groups[n % len(groups)]
        zone = c["zones"][group.mou.party_ids[0]]
        expires = (now + timedelta(days=10 - n % 20)).date()
        poll = {
            "id": ids.take("polls"), "working_group_id": group.id,
            "title_en": f"Next meeting {n + 1}", "title_es": f"Próxima reunión {n + 1}",
            "place": "", "tlp": "green", "timezone": zone, "duration_minutes": 60,
            "expires_on": expires,
            "expires_at": datetime.combine(expires, clock(23, 59), tzinfo=ZoneInfo(zone)),
            "status": "open" if expires >= now.date() else "closed",
            "created_by_id": _organiser(c, group),
        }  # fmt: skip
        polls.append(poll)
        for k in range(3):
            starts = now + timedelta(days=20 + k, hours=k)
            options.append(
                {"poll_id": poll["id"], "starts_at": starts, "ends_at": starts + timedelta(hours=1)}
            )
        for user_id, _ in c["members"][group.id]:
            participants.append({"poll_id": poll["id"], "user_id": user_id})
    write(c["session"], Poll.__table__, polls)
    write(c["session"], PollOption.__table__, options)
    write(c["session"], PollParticipant.__table__, participants)
    return len(polls)


def _bulletins(c, count: int) -> int:
    ids, groups = c["ids"], c["groups"]
    bulletins, indicators = [], []
    for n in range(count):
        group = groups[n % len(groups)]
        user_id, party_id = c["members"][group.id][0]
        bulletin = {
            "id": ids.take("csirt_bulletins"), "mou_id": group.mou.id,
            "owning_party_id": party_id, "created_by_id": user_id,
            "kind": ("advisory", "alert", "incident_report")[n % 3],
            "tlp": ("green", "clear", "amber")[n % 3],
            "severity": ("low", "medium", "high", "critical")[n % 4], "sectors": "",
            "title": f"Phishing campaign imitating the tax authority ({n + 1})",
            "body_md": words.BULLETIN_MD, "body_html": render_markdown(words.BULLETIN_MD),
            "created_at": _when(c, n, count),
        }  # fmt: skip
        values = [f"bench-{n}.example.net", f"CVE-2026-{1000 + n % 9000}"]
        for position, value in enumerate(values):
            kind = "domain" if position == 0 else "cve"
            indicators.append(
                {"bulletin_id": bulletin["id"], "position": position, "type": kind, "value": value}
            )
        bulletins.append(bulletin)
        text_ = "\n".join([bulletin["title"], bulletin["body_md"], *values])
        c["terms"]["csirt_bulletin"].append((bulletin["id"], text_))
    write(c["session"], Bulletin.__table__, bulletins)
    write(c["session"], Indicator.__table__, indicators)
    return len(bulletins)


def _contacts(c) -> int:
    """Two points of contact (the MoU's and the CSIRT's) per party of every generated MoU."""
    rows, seen = [], set()
    for group in c["groups"]:
        mou = group.mou
        if not mou.generated or mou.id in seen:
            continue
        seen.add(mou.id)
        for party_id in mou.party_ids:
            for kind in ("mou", "csirt"):
                k = len(rows)
                rows.append(
                    {
                        "mou_id": mou.id, "party_id": party_id, "kind": kind,
                        "given_name": words.FIRST_NAMES[k % 20],
                        "family_name": words.LAST_NAMES[k % 20],
                        "role": "Head of international cooperation", "organisation": "Ministry",
                        "email": f"contact{k}@bench.portal", "phone": f"+5622{k:07d}",
                        "availability": "always", "timezone": c["zones"][party_id],
                        "last_verified_on": c["now"].date() - timedelta(days=k % 300),
                        "uid": str(uuid.UUID(int=k + 1)),
                    }
                )  # fmt: skip
    write(c["session"], PointOfContact.__table__, rows)
    return len(rows)
