"""MoU and working-group pages; their administration."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.accounts.parties import all_parties
from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.i18n import current_language, localized
from portal.core.kept import ProcessStore, counter_statement
from portal.mous import access, bp, group_page, mou_page, mou_parts
from portal.mous import services as mous
from portal.mous.forms import (
    AREA_LABELS,
    STATUS_LABELS,
    ConfirmForm,
    LineForm,
    MemberForm,
    MouForm,
    NewMouForm,
    NewWorkingGroupForm,
    SignatoryForm,
    WorkingGroupForm,
)
from portal.mous.kept_pages import NAME as PAGES_GENERATION
from portal.mous.models import Area, MouStatus
from portal.mous.panels import render_group_panels
from portal.mous.queries import list_mou_cards
from portal.web.confirm import Confirmation, confirmation_page, is_confirmed
from portal.web.forms import form_page, options, page_number, party_options, show_service_error

# The MoU list's content, kept per role and party under the MoU pages' counter (mou_list).
MOU_LISTS = ProcessStore("mou-lists")


@bp.route("/mous/")
def mou_list():
    """The MoUs a reader sees follow from their role and party alone
    (access.mous_follow_role_and_party): the list's content (cards and pager) is kept per
    role and party, page, language and zone under the MoU pages' counter (kept_pages.py,
    raised by every change of an MoU, its areas and parties or a party), read first, so a
    kept list costs one short statement."""
    number = page_number(request.args)
    counter = db.session.scalar(counter_statement(PAGES_GENERATION))
    viewer = access.mous_follow_role_and_party(current_user)
    key = (viewer, number, current_language(), current_user.timezone)
    content = MOU_LISTS.get_counted(
        db.session,
        counter,
        key,
        lambda: _list_content(list_mou_cards(db.session, current_user, page=number)),
    )
    return render_template("mous/list.html", content=content)


def _list_content(page) -> Markup:
    html = render_template(
        "mous/_list_content.html", page=page, areas=AREA_LABELS, statuses=STATUS_LABELS
    )
    return Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704


@bp.route("/mous/<int:mou_id>")
def mou_detail(mou_id: int):
    return mou_page.mou_response(db.session, _reader(), mou_id)


def _reader():
    """The user behind `current_user`: the pages and their panels read the reader's
    attributes hundreds of times, each a context lookup through the proxy."""
    return current_user._get_current_object()


def _mou_data(form: MouForm) -> mous.MouData:
    return mous.MouData(
        title_en=form.title_en.data,
        title_es=form.title_es.data,
        summary_en=form.summary_en.data or "",
        summary_es=form.summary_es.data or "",
        party_ids=list(form.party_ids.data or []),
        signed_on=form.signed_on.data,
        signing_place=form.signing_place.data or "",
        areas=[Area(a) for a in form.areas.data or []],
        status=MouStatus(form.status.data),
        term_starts_on=form.term_starts_on.data,
        term_ends_on=form.term_ends_on.data,
    )


@bp.route("/mous/new", methods=["GET", "POST"])
@bp.route("/mous/<int:mou_id>/edit", methods=["GET", "POST"])
def edit_mou(mou_id: int | None = None):
    mou = mous.get_mou(db.session, current_user, mou_id) if mou_id else None
    mous.require_mou_editor(current_user)
    form = MouForm(obj=mou) if mou is not None else NewMouForm()
    form.party_ids.choices = party_options(all_parties(db.session))
    if request.method == "GET" and mou is not None:
        form.party_ids.data = [p.id for p in mou.parties]
        form.areas.data = [a.value for a in mou.area_values]
        form.status.data = mou.status.value
    if form.validate_on_submit():
        try:
            if mou is None:
                mou = mous.create_mou(db.session, current_user, _mou_data(form))
                form.claim("mou", mou, url_for("mous.manage_mou", mou_id=mou.id))
            else:
                mous.update_mou(db.session, current_user, mou, _mou_data(form))
        except ValidationError as error:
            show_service_error(form, error)
        else:
            flash(_("The MoU has been saved."), "success")
            return redirect(url_for("mous.manage_mou", mou_id=mou.id))
    return form_page("mous/form.html", form, mou=mou)


@bp.route("/mous/<int:mou_id>/manage", methods=["GET", "POST"])
def manage_mou(mou_id: int):
    """Signatories and lines of cooperation: two small forms on one page."""
    mou = mous.get_mou(db.session, current_user, mou_id)
    mous.require_mou_editor(current_user)
    signatory_form = SignatoryForm(prefix="signatory")
    signatory_form.party_id.choices = party_options(mou.parties)
    line_form = LineForm(prefix="line")
    posted = request.form.get("form")
    if posted == "signatory" and signatory_form.validate_on_submit():
        try:
            signatory = mou_parts.add_signatory(
                db.session,
                current_user,
                mou,
                party_id=signatory_form.party_id.data,
                name=signatory_form.name.data,
                office_en=signatory_form.office_en.data,
                office_es=signatory_form.office_es.data,
            )
        except ValidationError as error:
            show_service_error(signatory_form, error)
        else:
            page = url_for("mous.manage_mou", mou_id=mou.id)
            signatory_form.claim("mou_part", signatory, page)
            flash(_("The signatory has been added."), "success")
            return redirect(page)
    elif posted == "line" and line_form.validate_on_submit():
        line = mou_parts.add_line(
            db.session,
            current_user,
            mou,
            title_en=line_form.title_en.data,
            title_es=line_form.title_es.data,
        )
        line_form.claim("mou_part", line, url_for("mous.manage_mou", mou_id=mou.id))
        flash(_("The line of cooperation has been added."), "success")
        return redirect(url_for("mous.manage_mou", mou_id=mou.id))
    status = 422 if signatory_form.errors or line_form.errors else 200
    return render_template(
        "mous/manage.html",
        mou=mou,
        signatory_form=signatory_form,
        line_form=line_form,
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/mous/<int:mou_id>/signatories/<int:signatory_id>/remove", methods=["GET", "POST"])
def remove_signatory(mou_id: int, signatory_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    if not is_confirmed():
        signatory = mou_parts.signatory_of(current_user, mou, signatory_id)
        consequence = _(
            "%(name)s (%(party)s) will no longer be listed as a signatory of “%(mou)s”.",
            name=signatory.name,
            party=signatory.party.code,
            mou=localized(mou, "title"),
        )
        return confirmation_page(
            Confirmation(
                title=_("Remove the signatory?"),
                consequences=[consequence],
                mailed=None,
                button=_("Yes, remove the signatory"),
                back_url=url_for("mous.manage_mou", mou_id=mou.id),
            )
        )
    mou_parts.remove_signatory(db.session, current_user, mou, signatory_id)
    flash(_("The signatory has been removed."), "success")
    return redirect(url_for("mous.manage_mou", mou_id=mou.id))


@bp.route("/mous/<int:mou_id>/lines/<int:line_id>/remove", methods=["GET", "POST"])
def remove_line(mou_id: int, line_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    if not is_confirmed():
        line = mou_parts.removable_line(db.session, current_user, mou, line_id)
        consequence = _(
            "The line of cooperation “%(line)s” will be removed from “%(mou)s”.",
            line=localized(line, "title"),
            mou=localized(mou, "title"),
        )
        return confirmation_page(
            Confirmation(
                title=_("Remove the line of cooperation?"),
                consequences=[consequence],
                mailed=None,
                button=_("Yes, remove the line of cooperation"),
                back_url=url_for("mous.manage_mou", mou_id=mou.id),
            )
        )
    mou_parts.remove_line(db.session, current_user, mou, line_id)
    flash(_("The line of cooperation has been removed."), "success")
    return redirect(url_for("mous.manage_mou", mou_id=mou.id))


# Working groups -------------------------------------------------------------------------


def _group_data(form: WorkingGroupForm) -> mous.WorkingGroupData:
    return mous.WorkingGroupData(
        name_en=form.name_en.data,
        name_es=form.name_es.data,
        mandate_en=form.mandate_en.data or "",
        mandate_es=form.mandate_es.data or "",
    )


@bp.route("/mous/<int:mou_id>/working-groups/new", methods=["GET", "POST"])
def new_working_group(mou_id: int):
    mou = mous.get_mou(db.session, current_user, mou_id)
    mous.require_group_editor(current_user)
    form = NewWorkingGroupForm()
    if form.validate_on_submit():
        group = mous.create_working_group(db.session, current_user, mou, _group_data(form))
        page = url_for("mous.working_group", group_id=group.id)
        form.claim("working_group", group, page)
        flash(_("The working group has been created."), "success")
        return redirect(page)
    return form_page("mous/working_group_form.html", form, mou=mou, group=None)


@bp.route("/working-groups/<int:group_id>/edit", methods=["GET", "POST"])
def edit_working_group(group_id: int):
    group = mous.get_working_group(db.session, current_user, group_id)
    mous.require_group_editor(current_user)
    form = WorkingGroupForm(obj=group)
    if form.validate_on_submit():
        mous.update_working_group(db.session, current_user, group, _group_data(form))
        flash(_("The working group has been saved."), "success")
        return redirect(url_for("mous.working_group", group_id=group.id))
    return form_page("mous/working_group_form.html", form, mou=group.mou, group=group)


@bp.route("/working-groups/<int:group_id>", methods=["GET", "POST"])
def working_group(group_id: int):
    if request.method != "POST":  # GET and HEAD
        return group_page.group_response(db.session, _reader(), group_id)
    group = mous.get_working_group(db.session, current_user, group_id)
    mous.require_membership_manager(current_user, group)
    form = MemberForm()
    candidates = mous.membership_candidates(db.session, current_user, group)
    form.user_id.choices = options((i, f"{name} ({code})") for i, name, code in candidates)
    if form.validate_on_submit():
        try:
            member = mous.add_member(
                db.session,
                current_user,
                group,
                user_id=form.user_id.data,
                is_co_chair=form.is_co_chair.data,
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("mous.working_group", group_id=group.id)
            form.claim("member", member, page)
            flash(_("The member has been added."), "success")
            return redirect(page)
    return form_page(
        "mous/working_group.html",
        form,
        group=group,
        panels=render_group_panels(db.session, current_user, group),
        members=mous.members_by_party(group),
        manageable=[p.id for p in access.manageable_parties(current_user, group)],
        can_edit=access.can_edit_working_group(current_user),
        tokens=None,
        csrf=None,
    )


@bp.route(
    "/working-groups/<int:group_id>/members/<int:membership_id>/remove", methods=["GET", "POST"]
)
def remove_member(group_id: int, membership_id: int):
    group = mous.get_working_group(db.session, current_user, group_id)
    if not is_confirmed():
        membership = mous.managed_membership(current_user, group, membership_id)
        return confirmation_page(_removal_confirmation(group, membership))
    mous.remove_member(db.session, current_user, group, membership_id)
    flash(_("The member has been removed."), "success")
    return redirect(url_for("mous.working_group", group_id=group.id))


def _removal_confirmation(group, membership) -> Confirmation:
    name, group_name = membership.user.name, localized(group, "name")
    consequences = [
        _("%(name)s will no longer be a member of %(group)s.", name=name, group=group_name)
    ]
    if membership.is_co_chair:
        consequences.append(_("Their delegation will have no co-chair in this group."))
    return Confirmation(
        title=_("Remove the member?"),
        consequences=consequences,
        mailed=None,
        button=_("Yes, remove the member"),
        back_url=url_for("mous.working_group", group_id=group.id),
    )


@bp.route("/working-groups/<int:group_id>/members/<int:membership_id>/co-chair", methods=["POST"])
def make_co_chair(group_id: int, membership_id: int):
    group = mous.get_working_group(db.session, current_user, group_id)
    mous.make_co_chair(db.session, current_user, group, membership_id)
    flash(_("The co-chair has been changed."), "success")
    return redirect(url_for("mous.working_group", group_id=group.id))
