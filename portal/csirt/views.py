"""Bulletin pages: the list, publishing (by form or from a STIX bundle), the bulletin page
with its answers, its attachments and its STIX and MISP exports."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal.core.errors import ValidationError
from portal.core.extensions import db
from portal.core.i18n import current_language, localized
from portal.core.tlp import TLP, TLP_DESCRIPTIONS
from portal.csirt import access, bp, kept, misp, queries, services, stix
from portal.csirt.downloads import attachment_response
from portal.csirt.forms import (
    ANSWER_LABELS,
    KIND_LABELS,
    SECTOR_LABELS,
    SEVERITY_LABELS,
    AcknowledgeForm,
    BulletinForm,
    FilterForm,
    ImportForm,
)
from portal.csirt.indicators import TYPE_LABELS
from portal.csirt.models import Answer, BulletinKind, Sector, Severity
from portal.web.forms import form_page, options, page_number, show_service_error

LABELS = {
    "kinds": KIND_LABELS,
    "severities": SEVERITY_LABELS,
    "sectors": SECTOR_LABELS,
    "answers": ANSWER_LABELS,
    "indicator_types": TYPE_LABELS,
    "tlp_descriptions": TLP_DESCRIPTIONS,
}


def _require_reader() -> None:
    if not access.can_view_csirt_pages(current_user):
        abort(404)


# The list -------------------------------------------------------------------------------------


def _member(enum, value):
    """The member of `enum` named by a filter's value; None for "any" (a blank value, which
    the optional field lets through unchecked)."""
    return {member.value: member for member in enum}.get(value)


@bp.route("/csirt/bulletins")
def bulletin_list():
    _require_reader()
    # The reader's rights (who they are, role, party), language, zone and query decide the
    # page; kept.py says what else, counted by its generation.
    reader = (current_user.id, current_user.role, current_user.party_id, current_user.timezone)
    query = tuple(sorted(request.args.items(multi=True)))
    key = (reader, current_language(), query)
    body, status = kept.kept_list(db.session, key, _list_body)
    return render_template(
        "csirt/list.html", body=body, manages_team=access.manages_own_team(current_user)
    ), status


def _list_body() -> tuple[Markup, int]:
    """The MoUs to publish under, the filters and a page of bulletins (422 for filters that
    do not validate, shown with their errors)."""
    mous = queries.readable_mous(db.session, current_user)
    form = FilterForm(formdata=request.args)
    form.mou.choices = options((value, "") for value in (0, *(m.id for m in mous)))
    filters = queries.BulletinFilter()
    if form.validate():
        filters = queries.BulletinFilter(
            mou_id=form.mou.data or None,
            kind=_member(BulletinKind, form.kind.data),
            tlp=_member(TLP, form.tlp.data),
            severity=_member(Severity, form.severity.data),
            unanswered=bool(form.unanswered.data),
        )
    page = queries.list_bulletins(db.session, current_user, filters, page=page_number(request.args))
    titles = ((m.id, localized(m, "title")) for m in mous)
    form.mou.choices = options([(0, _l("Any")), *titles])
    html = render_template(
        "csirt/_list_body.html",
        form=form,
        page=page,
        arguments={k: v for k, v in request.args.items() if k != "page"},
        publishable=access.publishable_mous(current_user, mous),
        **LABELS,
    )
    body = Markup(html)  # noqa: S704 - rendered by the template, escaped  # nosec B704
    return body, (200 if not form.errors else 422)


# Publishing -----------------------------------------------------------------------------------


@bp.route("/csirt/bulletins/publish")
def start_bulletin():
    """The list's one "publish" control: the MoU chosen, then writing a bulletin or importing
    a STIX bundle under it (a CSIRT member of a party in many MoUs had two buttons per MoU)."""
    _require_reader()
    chosen = request.args.get("mou", type=int)
    readable = queries.readable_mous(db.session, current_user)
    mou = next((m for m in readable if m.id == chosen), None)
    if mou is None:
        abort(404)
    if mou not in access.publishable_mous(current_user, readable):
        abort(403)  # as the publishing pages answer a reader of the MoU outside its CSIRT
    page = "csirt.import_bulletin" if request.args.get("how") == "import" else "csirt.new_bulletin"
    return redirect(url_for(page, mou_id=mou.id))


def _bulletin_form(mou) -> BulletinForm:
    form = BulletinForm()
    form.reader_ids.choices = options(
        (u.id, f"{u.name} · {u.party.code}") for u in services.reader_candidates(db.session, mou)
    )
    return form


def _data(form: BulletinForm) -> services.BulletinData:
    return services.BulletinData(
        kind=BulletinKind(form.kind.data),
        tlp=TLP(form.tlp.data),
        severity=Severity(form.severity.data),
        title=form.title.data,
        body_md=form.body_md.data or "",
        sectors=[Sector(s) for s in form.sectors.data or []],
        indicators=list(form.parsed_indicators),
        reader_ids=list(form.reader_ids.data or []),
    )


@bp.route("/mous/<int:mou_id>/csirt/bulletins/new", methods=["GET", "POST"])
def new_bulletin(mou_id: int):
    mou = services.get_mou(db.session, current_user, mou_id)
    services.require_publisher(db.session, current_user, mou)
    form = _bulletin_form(mou)
    if form.validate_on_submit():
        uploads = [
            services.Upload(stream=f.stream, file_name=f.filename)
            for f in form.files.data or []
            if f and f.filename
        ]
        try:
            bulletin = services.publish_bulletin(
                db.session, current_user, mou, _data(form), uploads
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("csirt.bulletin", bulletin_id=bulletin.id)
            form.claim("csirt_bulletin", bulletin, page)
            flash(_("The bulletin has been published."), "success")
            return redirect(page)
    return form_page("csirt/form.html", form, mou=mou, **LABELS)


@bp.route("/mous/<int:mou_id>/csirt/bulletins/import", methods=["GET", "POST"])
def import_bulletin(mou_id: int):
    mou = services.get_mou(db.session, current_user, mou_id)
    services.require_publisher(db.session, current_user, mou)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            draft = stix.read_bundle(form.file.data.stream.read(stix.MAX_BUNDLE_SIZE + 1))
            bulletin = services.publish_bulletin(
                db.session,
                current_user,
                mou,
                services.BulletinData(
                    kind=draft.kind,
                    tlp=draft.tlp,
                    severity=draft.severity,
                    title=draft.title[:300],
                    body_md=draft.description,
                    indicators=draft.indicators,
                ),
            )
        except stix.BundleRefused as error:
            form.file.errors = [*form.file.errors, error.message]
        except ValidationError as error:
            show_service_error(form, error)
        else:
            page = url_for("csirt.bulletin", bulletin_id=bulletin.id)
            form.claim("csirt_bulletin", bulletin, page)
            flash(_("The bulletin has been published from the STIX bundle."), "success")
            return redirect(page)
    return form_page("csirt/import.html", form, mou=mou)


# One bulletin ---------------------------------------------------------------------------------


def _bulletin_page(bulletin, form: AcknowledgeForm, status: int = 200):
    sees_answers = access.can_see_acknowledgements(current_user, bulletin)
    return render_template(
        "csirt/bulletin.html",
        bulletin=bulletin,
        team_name=services.team_names(db.session).get(bulletin.owning_party_id, ""),
        form=form,
        can_acknowledge=access.can_acknowledge(current_user, bulletin),
        my_answer=services.answer_of(bulletin, current_user),
        answers_by_party=services.acknowledgements_by_party(bulletin) if sees_answers else None,
        **LABELS,
    ), status


@bp.route("/csirt/bulletins/<int:bulletin_id>")
def bulletin(bulletin_id: int):
    found = services.get_bulletin(db.session, current_user, bulletin_id)
    return _bulletin_page(found, AcknowledgeForm())


@bp.route("/csirt/bulletins/<int:bulletin_id>/acknowledge", methods=["POST"])
def acknowledge(bulletin_id: int):
    found = services.get_bulletin(db.session, current_user, bulletin_id)
    if not access.can_acknowledge(current_user, found):
        abort(403)
    form = AcknowledgeForm()
    if form.validate_on_submit():
        services.acknowledge(
            db.session, current_user, found, Answer(form.answer.data), form.note.data or ""
        )
        flash(_("Your answer has been recorded."), "success")
        return redirect(url_for("csirt.bulletin", bulletin_id=found.id))
    return _bulletin_page(found, form, 422)


@bp.route("/csirt/bulletins/<int:bulletin_id>/attachments/<int:attachment_id>")
def attachment(bulletin_id: int, attachment_id: int):
    found = services.get_attachment(db.session, current_user, bulletin_id, attachment_id)
    return attachment_response(found)


def _export(body: str, name: str) -> Response:
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/csirt/bulletins/<int:bulletin_id>/stix.json")
def export_stix(bulletin_id: int):
    found = services.get_for_export(db.session, current_user, bulletin_id, "stix")
    team = services.team_names(db.session).get(found.owning_party_id, "")
    return _export(stix.bundle_for(found, team), f"bulletin-{found.id}.stix.json")


@bp.route("/csirt/bulletins/<int:bulletin_id>/misp.json")
def export_misp(bulletin_id: int):
    found = services.get_for_export(db.session, current_user, bulletin_id, "misp")
    team = services.team_names(db.session).get(found.owning_party_id, "")
    return _export(misp.event_for(found, team), f"bulletin-{found.id}.misp.json")
