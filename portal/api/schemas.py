"""The API's schemas: what each endpoint validates and answers, and what the OpenAPI
description is generated from (flask-smorest reads these, nobody writes the description)."""

from marshmallow import Schema, fields, validate

from portal.actions.models import ActionStatus, Priority
from portal.api.queries import DEFAULT_LIMIT, MAX_LIMIT, local_times
from portal.core.tlp import TLP
from portal.meetings.ics import feed_uid


def _values(enum) -> list[str]:
    return [member.value for member in enum]


def derived(field: fields.Field, compute) -> fields.Field:
    """A field whose value is computed from the object; documented as the field's type."""
    field.get_value = lambda obj, attr, accessor=None, default=None: compute(obj)
    return field


class Problem(Schema):
    """RFC 9457 problem details; `errors` names each field refused and why."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    instance = fields.String()
    errors = fields.List(fields.Dict())
    request_id = fields.String()


class PageQuery(Schema):
    cursor = fields.String(
        validate=validate.Length(max=500), metadata={"description": "next_cursor of the last page"}
    )
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))


class GroupFilter(PageQuery):
    working_group_id = fields.Integer(validate=validate.Range(1, 2**31 - 1))


class MouFilter(PageQuery):
    mou_id = fields.Integer(validate=validate.Range(1, 2**31 - 1))


class Line(Schema):
    id = fields.Integer(required=True)
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)


class MouOut(Schema):
    id = fields.Integer(required=True)
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)
    status = fields.String(required=True)
    signed_on = fields.Date(allow_none=True, required=True)
    signing_place = fields.String(required=True)
    term_starts_on = fields.Date(allow_none=True, required=True)
    term_ends_on = fields.Date(allow_none=True, required=True)
    parties = derived(
        fields.List(fields.String(), required=True), lambda mou: [p.code for p in mou.parties]
    )
    areas = derived(
        fields.List(fields.String(), required=True), lambda mou: [a.area for a in mou.areas]
    )
    lines_of_cooperation = fields.List(fields.Nested(Line), attribute="lines", required=True)


class WorkingGroupOut(Schema):
    id = fields.Integer(required=True)
    mou_id = fields.Integer(required=True)
    name_en = fields.String(required=True)
    name_es = fields.String(required=True)
    mandate_en = fields.String(required=True)
    mandate_es = fields.String(required=True)


class LocalTime(Schema):
    party = fields.String(required=True)
    timezone = fields.String(required=True)
    starts_at = fields.String(required=True, metadata={"format": "date-time"})
    ends_at = fields.String(required=True, metadata={"format": "date-time"})


class MeetingOut(Schema):
    id = fields.Integer(required=True)
    working_group_id = fields.Integer(required=True)
    uid = fields.String(
        required=True,
        metadata={
            "description": "the iCalendar UID of its invitations (a series' for an occurrence)"
        },
    )
    recurrence_id = derived(
        fields.String(
            allow_none=True,
            required=True,
            metadata={"description": "an occurrence's RECURRENCE-ID, local time in `timezone`"},
        ),
        lambda m: m.original_start_local and m.original_start_local.strftime("%Y%m%dT%H%M%S"),
    )
    feed_uid = derived(
        fields.String(required=True, metadata={"description": "its UID in personal feeds"}),
        feed_uid,
    )
    sequence = fields.Integer(required=True)
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)
    status = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    timezone = fields.String(required=True, metadata={"description": "the organiser's zone"})
    local_times = derived(fields.List(fields.Nested(LocalTime), required=True), local_times)
    place = fields.String(required=True)
    video_url = fields.String(required=True)
    tlp = fields.String(required=True)


class ActionOut(Schema):
    id = fields.Integer(required=True)
    working_group_id = fields.Integer(required=True)
    meeting_id = fields.Integer(allow_none=True, required=True)
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)
    description_md_en = fields.String(required=True)
    description_md_es = fields.String(required=True)
    due_on = fields.Date(required=True)
    priority = fields.String(required=True)
    status = fields.String(required=True)
    cancel_reason = fields.String(required=True)
    completed_on = fields.Date(allow_none=True, required=True)
    responsible_party = derived(
        fields.String(required=True), lambda item: item.responsible_party.code
    )
    owner_ids = derived(
        fields.List(fields.Integer(), required=True), lambda item: [o.id for o in item.owners]
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ActionIn(Schema):
    """Title and description in English, Spanish or both: at least one title."""

    working_group_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    title_en = fields.String(load_default="", validate=validate.Length(max=200))
    title_es = fields.String(load_default="", validate=validate.Length(max=200))
    description_md_en = fields.String(load_default="", validate=validate.Length(max=10_000))
    description_md_es = fields.String(load_default="", validate=validate.Length(max=10_000))
    owner_ids = fields.List(
        fields.Integer(validate=validate.Range(1, 2**31 - 1)),
        required=True,
        validate=validate.Length(1, 20),
    )
    responsible_party = fields.String(required=True, validate=validate.Length(1, 8))
    due_on = fields.Date(required=True)
    priority = fields.String(load_default="normal", validate=validate.OneOf(_values(Priority)))
    meeting_id = fields.Integer(allow_none=True, validate=validate.Range(1, 2**31 - 1))


class StatusIn(Schema):
    """A cancellation says why (the service refuses one without a reason): the description
    says so too, in JSON Schema's if/then, so that a client can read the rule."""

    status = fields.String(required=True, validate=validate.OneOf(_values(ActionStatus)))
    reason = fields.String(load_default="", validate=validate.Length(max=500))

    JSON_SCHEMA_RULES = {
        "if": {"properties": {"status": {"const": ActionStatus.CANCELLED.value}}},
        "then": {"required": ["reason"], "properties": {"reason": {"pattern": r"\S"}}},
    }


class VersionOut(Schema):
    number = fields.Integer(required=True)
    file_name = fields.String(required=True)
    size = fields.Integer(required=True)
    content_type = fields.String(required=True)
    sha256 = fields.String(required=True)
    uploaded_at = fields.DateTime(required=True)


class DocumentOut(Schema):
    """Metadata only: the file's content never leaves through the API."""

    id = fields.Integer(required=True)
    mou_id = fields.Integer(required=True)
    working_group_id = fields.Integer(allow_none=True, required=True)
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)
    category = fields.String(required=True)
    language = fields.String(required=True)
    tlp = fields.String(required=True, metadata={"enum": _values(TLP)})
    owning_party = derived(
        fields.String(required=True), lambda document: document.owning_party.code
    )
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    versions = fields.List(fields.Nested(VersionOut), required=True)


class TrainingOut(Schema):
    id = fields.Integer(required=True)
    mou_id = fields.Integer(required=True)
    working_group_id = fields.Integer(allow_none=True, required=True)
    uid = fields.String(required=True, metadata={"description": "the iCalendar UID"})
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)
    audience = fields.String(required=True)
    format = fields.String(required=True)
    language = fields.String(required=True)
    status = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    timezone = fields.String(required=True)
    registration_closes_at = fields.DateTime(required=True)
    capacity = fields.Integer(required=True)
    seats_taken = fields.Integer(attribute="registrations_taken", required=True)


class CommitmentOut(Schema):
    id = fields.Integer(required=True)
    mou_id = fields.Integer(required=True)
    line_id = fields.Integer(required=True, metadata={"description": "its line of cooperation"})
    title_en = fields.String(required=True)
    title_es = fields.String(required=True)
    status = fields.String(required=True)
    drop_reason = fields.String(required=True, metadata={"description": "why it was dropped"})
    target_on = fields.Date(required=True)
    responsible = derived(
        fields.List(fields.String(), required=True),
        lambda commitment: [party.code for party in commitment.parties],
    )


def page_of(item_schema: type[Schema]) -> type[Schema]:
    """A page of items and the cursor of the next page (null on the last)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(allow_none=True, required=True),
        },
        name=f"{item_schema.__name__.removesuffix('Out')}Page",
    )
