"""The profile's API tokens page: list, create (the secret shown once), revoke (asked first)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.api import access, tokens_bp
from portal.api.forms import SCOPE_LABELS, TokenForm
from portal.api.models import ApiToken, TokenScope
from portal.api.services import TokenRequest, create_token, own_token, revoke_token
from portal.core.db import utcnow
from portal.core.extensions import db
from portal.web.confirm import Confirmation, confirmation_page, is_confirmed
from portal.web.pagination import paginate


def _tokens_page(form: TokenForm, status: int = 200):
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    page = paginate(db.session, query, page=request.args.get("page", 1, type=int))
    return (
        render_template(
            "api/tokens.html",
            form=form,
            page=page,
            now=utcnow(),
            scopes=SCOPE_LABELS,
            may_hold=access.can_hold_tokens(current_user),
        ),
        status,
    )


@tokens_bp.route("/account/api-tokens", methods=["GET", "POST"])
def tokens():
    form = TokenForm()
    if not form.validate_on_submit():
        return _tokens_page(form, 422 if form.errors else 200)
    wanted = TokenRequest(form.name.data, TokenScope(form.scope.data), form.days.data)
    token, secret = create_token(db.session, current_user, wanted)
    return render_template(
        "api/token_created.html", token=token, secret=secret, scopes=SCOPE_LABELS
    )


@tokens_bp.route("/account/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke(token_id):
    token = own_token(db.session, current_user, token_id)
    if not is_confirmed():
        return confirmation_page(
            Confirmation(
                title=_("Revoke the API token “%(name)s”?", name=token.name),
                consequences=[
                    _("Programs using it will be refused from now on."),
                    _("This cannot be undone: create a new token if you need one again."),
                ],
                mailed=None,
                button=_("Revoke the token"),
                back_url=url_for("api_tokens.tokens"),
            )
        )
    revoke_token(db.session, current_user, token)
    flash(_("The token “%(name)s” has been revoked.", name=token.name), "success")
    return redirect(url_for("api_tokens.tokens"))
