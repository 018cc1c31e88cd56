"""Notification pages: the person's preferences, one-click unsubscribe, the admin outbox."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.errors import ValidationError
from portal.core.extensions import csrf, db
from portal.notifications import bp, outbox_admin
from portal.notifications import preferences as prefs
from portal.notifications.categories import categories, category_labels
from portal.notifications.forms import STATUS_LABELS, OutboxFilterForm, preferences_form
from portal.notifications.models import Delivery, OutboxStatus
from portal.web.forms import form_page, page_number
from portal.web.public import public

# Preferences -------------------------------------------------------------------------------


@bp.route("/account/notifications", methods=["GET", "POST"])
def preferences():
    person = current_user._get_current_object()
    current = prefs.preferences_of(db.session, current_user, person)
    form = preferences_form(current, formdata=request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        choices = {c: Delivery(getattr(form, c).data) for c in categories()}
        prefs.set_preferences(db.session, current_user, person, choices)
        flash(_("Your notification choices have been saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return form_page(
        "notifications/preferences.html", form, categories=categories(), labels=category_labels()
    )


# One-click unsubscribe (RFC 8058) ---------------------------------------------------------------


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # mail clients POST this link themselves; the signed token is the authority
def unsubscribe(token: str):
    """GET shows a confirmation (link scanners open links); POST turns the category off."""
    person, category = prefs.read_unsubscribe_token(db.session, token)
    g.preferred_language = person.language
    label = _category_label(category)
    if request.method == "GET":
        return render_template("notifications/unsubscribe.html", token=token, label=label)
    _, _, changed = prefs.unsubscribe(db.session, token)
    return render_template("notifications/unsubscribed.html", label=label, changed=changed)


def _category_label(category: str) -> str:
    if category == prefs.DIGEST:
        return _("Daily summary")
    return str(category_labels()[category])


# The outbox, for administrators ------------------------------------------------------------------


@bp.route("/admin/outbox/")
def outbox():
    form = OutboxFilterForm(request.args)
    valid = form.validate()
    status = OutboxStatus(form.status.data) if valid and form.status.data else None
    kind = form.kind.data if valid else None
    page = outbox_admin.list_outbox(
        db.session, current_user, page=page_number(request.args), status=status, kind=kind
    )
    filters = {k: v for k, v in (("status", status), ("kind", kind)) if v}
    html = render_template(
        "notifications/outbox.html",
        form=form,
        page=page,
        lines=outbox_admin.outbox_lines(db.session, page.items),
        kinds=outbox_admin.kind_choices(),
        filters=filters,
        status_labels=STATUS_LABELS,
    )
    return html, 200 if valid else 422


@bp.route("/admin/outbox/<int:message_id>/retry", methods=["POST"])
def retry(message_id: int):
    try:
        outbox_admin.retry_message(db.session, current_user, message_id)
    except ValidationError:
        flash(_("Only failed messages can be retried."), "warning")
        return redirect(url_for("notifications.outbox"))
    flash(_("The message will be sent again."), "success")
    return redirect(url_for("notifications.outbox", status="failed"))
