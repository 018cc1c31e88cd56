"""Commitment pages: an MoU's list, a commitment's page and its forms (details, status,
progress notes, linked work), and the coordinators' overview of their party's MoUs."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.models import Party
from portal.commitments import access, bp, queries
from portal.commitments import services as commitments
from portal.commitments.forms import (
    FIELD_LABELS,
    STATUS_LABELS,
    CommitmentForm,
    LinkForm,
    NewCommitmentForm,
    NoteForm,
    StatusForm,
)
from portal.commitments.models import Commitment, CommitmentStatus
from portal.core.db import utcnow
from portal.core.errors import Forbidden, NotFound, ValidationError
from portal.core.extensions import db
from portal.core.i18n import localized, reader_today
from portal.mous import services as mous
from portal.web.confirm import Confirmation, confirmation_page, is_confirmed
from portal.web.forms import form_page, page_number, show_service_error


def _status_argument() -> CommitmentStatus | None:
    value = request.args.get("status", "")
    return CommitmentStatus(value) if value in {s.value for s in CommitmentStatus} else None


@bp.route("/mous/<int:mou_id>/commitments")
def commitment_list(mou_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    line_id = request.args.get("line", type=int)
    line = next((x for x in mou.lines if x.id == line_id), None)
    status = _status_argument()
    page = queries.list_commitments(
        db.session,
        current_user,
        mou,
        line_id=line.id if line else None,
        status=status,
        page=page_number(request.args),
    )
    return render_template(
        "commitments/list.html",
        mou=mou,
        page=page,
        line=line,
        status=status,
        statuses=STATUS_LABELS,
        today=reader_today(),
        can_edit=access.can_edit_commitments(current_user, mou),
        pager_arguments={
            "mou_id": mou.id,
            **({"line": line.id} if line else {}),
            **({"status": status.value} if status else {}),
        },
    )


def _details(form: CommitmentForm) -> commitments.CommitmentDetails:
    return commitments.CommitmentDetails(
        line_id=form.line_id.data,
        title_en=form.title_en.data or "",
        title_es=form.title_es.data or "",
        party_ids=list(form.party_ids.data or []),
        target_on=form.target_on.data,
    )


@bp.route("/mous/<int:mou_id>/commitments/new", methods=["GET", "POST"])
def new_commitment(mou_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    commitments.require_editor(current_user, mou)
    form = NewCommitmentForm().offer(mou)
    if request.method == "GET":
        form.line_id.data = request.args.get("line", type=int)
        if current_user.party_id in {party.id for party in mou.parties}:
            form.party_ids.data = [current_user.party_id]
    if form.validate_on_submit():
        try:
            commitment = commitments.create_commitment(
                db.session, current_user, mou, _details(form)
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("commitments.detail", commitment_id=commitment.id)
            form.claim("commitment", commitment, page)
            flash(_("The commitment has been recorded."), "success")
            return redirect(page)
    return form_page("commitments/form.html", form, mou=mou, commitment=None)


@bp.route("/commitments/<int:commitment_id>")
def detail(commitment_id: int):
    commitment = commitments.get_commitment(db.session, current_user, commitment_id)
    can_edit = access.can_edit_commitment(current_user, commitment)
    return render_template(
        "commitments/detail.html",
        commitment=commitment,
        mou=commitment.mou,
        linked=queries.linked_work(db.session, current_user, commitment),
        kinds=access.LINK_KINDS,
        can_edit=can_edit,
        statuses=STATUS_LABELS,
        field_labels=FIELD_LABELS,
        status_form=_status_form(commitment) if can_edit else None,
        note_form=NoteForm(formdata=None, noted_on=reader_today()) if can_edit else None,
        today=reader_today(),
    )


@bp.route("/commitments/<int:commitment_id>/edit", methods=["GET", "POST"])
def edit(commitment_id: int):
    commitment = commitments.get_commitment(db.session, current_user, commitment_id)
    commitments.require_editor(current_user, commitment.mou)
    form = CommitmentForm(obj=commitment).offer(commitment.mou)
    if request.method == "GET":
        form.party_ids.data = [party.id for party in commitment.parties]
    if form.validate_on_submit():
        try:
            commitments.update_commitment(db.session, current_user, commitment, _details(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The commitment has been saved."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return form_page("commitments/form.html", form, mou=commitment.mou, commitment=commitment)


def _status_form(commitment: Commitment) -> StatusForm:
    form = StatusForm(formdata=None)
    form.status.data = commitment.status.value
    form.reason.data = commitment.drop_reason
    return form


@bp.route("/commitments/<int:commitment_id>/status", methods=["GET", "POST"])
def change_status(commitment_id: int):
    commitment = commitments.get_commitment(db.session, current_user, commitment_id)
    commitments.require_editor(current_user, commitment.mou)
    form = StatusForm() if request.method == "POST" else _status_form(commitment)
    if form.validate_on_submit():
        change = commitments.StatusChange(CommitmentStatus(form.status.data), form.reason.data)
        try:
            changed = commitments.change_status(db.session, current_user, commitment, change)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            if changed:
                flash(_("The status has been changed."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return form_page("commitments/status.html", form, commitment=commitment, mou=commitment.mou)


@bp.route("/commitments/<int:commitment_id>/notes/new", methods=["GET", "POST"])
def new_note(commitment_id: int):
    commitment = commitments.get_commitment(db.session, current_user, commitment_id)
    commitments.require_editor(current_user, commitment.mou)
    form = NoteForm()
    if request.method == "GET":
        form.noted_on.data = reader_today()
    if form.validate_on_submit():
        details = commitments.NoteDetails(form.noted_on.data, form.body.data)
        try:
            commitments.add_note(db.session, current_user, commitment, details, reader_today())
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("commitments.detail", commitment_id=commitment.id)
            form.claim("commitment", commitment, page)
            flash(_("The progress note has been added."), "success")
            return redirect(page)
    return form_page("commitments/note.html", form, commitment=commitment, mou=commitment.mou)


@bp.route("/commitments/<int:commitment_id>/links/<kind>/new", methods=["GET", "POST"])
def new_link(commitment_id: int, kind: str):
    commitment = commitments.get_commitment(db.session, current_user, commitment_id)
    link_kind = commitments.link_kind(kind)
    commitments.require_editor(current_user, commitment.mou)
    choices = queries.link_choices(db.session, current_user, commitment, link_kind)
    form = LinkForm()
    form.target.choices = [(target.id, _target_label(kind, target)) for target in choices]
    if form.validate_on_submit():
        try:
            commitments.link_work(db.session, current_user, commitment, link_kind, form.target.data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The link has been added."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return form_page(
        "commitments/link.html", form, commitment=commitment, mou=commitment.mou, kind=link_kind
    )


def _target_label(kind: str, target) -> str:
    """How a piece of work is named in the link form's list (what its own pages call it)."""
    if kind in ("meeting", "training"):
        return f"{localized(target, 'title')} · {target.starts_at.date().isoformat()}"
    if kind == "action":
        return f"{target.title} · {target.due_on.isoformat()}"
    return target.title


@bp.route(
    "/commitments/<int:commitment_id>/links/<kind>/<int:target_id>/remove",
    methods=["GET", "POST"],
)
def remove_link(commitment_id: int, kind: str, target_id: int):
    commitment = commitments.get_commitment(db.session, current_user, commitment_id)
    link_kind = commitments.link_kind(kind)
    commitments.require_editor(current_user, commitment.mou)
    link = commitments.existing_link(db.session, current_user, commitment, link_kind, target_id)
    if not is_confirmed():
        return confirmation_page(
            Confirmation(
                title=_("Remove the link?"),
                consequences=[
                    _(
                        "%(work)s will no longer be listed under this commitment.",
                        work=_target_label(kind, link.target),
                    ),
                    _("The work itself is not changed; the commitment's history keeps the link."),
                ],
                mailed=None,
                button=_("Yes, remove the link"),
                back_url=url_for("commitments.detail", commitment_id=commitment.id),
            )
        )
    commitments.unlink_work(db.session, current_user, commitment, link_kind, target_id)
    flash(_("The link has been removed."), "success")
    return redirect(url_for("commitments.detail", commitment_id=commitment.id))


# The coordinators' overview -----------------------------------------------------------------


@bp.route("/follow-up")
def my_follow_up():
    """The overview of the reader's own party (the navigation's link)."""
    if current_user.party_id is None:
        raise NotFound()
    return redirect(url_for("commitments.follow_up", party_id=current_user.party_id))


@bp.route("/parties/<int:party_id>/follow-up")
def follow_up(party_id: int):
    party = db.session.get(Party, party_id)
    if party is None:
        raise NotFound()
    if not access.can_view_overview(current_user, party):
        if access.knows_party(current_user, party):
            raise Forbidden(_("This page is for the party's coordinators."))
        raise NotFound()
    page, rows = queries.follow_up(
        db.session,
        current_user,
        party,
        today=reader_today(),
        now=utcnow(),
        page=page_number(request.args),
    )
    return render_template(
        "commitments/follow_up.html",
        party=party,
        page=page,
        rows=rows,
        statuses=STATUS_LABELS,
        pager_arguments={"party_id": party.id},
    )
