"""A party's CSIRT: its coordinator marks and unmarks the members (unmarking asks first)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.extensions import db
from portal.core.i18n import localized
from portal.csirt import bp, services
from portal.csirt.forms import MarkForm
from portal.web.confirm import Confirmation, confirmation_page, is_confirmed


def _party():
    raw = request.args.get("party", "")
    return services.managed_party(db.session, current_user, int(raw) if raw.isdigit() else None)


def _back(party) -> str:
    return url_for("csirt.team", party=party.id)


@bp.route("/csirt/team")
def team():
    party = _party()
    return render_template(
        "csirt/team.html",
        party=party,
        team=services.team_of(db.session, party.id),
        people=services.team_candidates(db.session, party),
        form=MarkForm(),
    )


@bp.route("/csirt/team/<int:user_id>/mark", methods=["POST"])
def mark(user_id: int):
    party = _party()
    form = MarkForm()
    if form.validate_on_submit():
        services.mark_member(db.session, current_user, party, user_id)
        flash(_("The person is now a member of the CSIRT."), "success")
    else:
        services.find_member(db.session, current_user, party, user_id)
        flash(_("The form had expired. Please send it again."), "danger")
    return redirect(_back(party))


@bp.route("/csirt/team/<int:user_id>/unmark", methods=["GET", "POST"])
def unmark(user_id: int):
    party = _party()
    person = services.find_member(db.session, current_user, party, user_id)
    if not is_confirmed():
        return confirmation_page(
            Confirmation(
                title=_("Remove this person from the CSIRT?"),
                consequences=[
                    _(
                        "%(name)s will no longer be a member of the CSIRT of %(party)s: they "
                        "will no longer publish or answer bulletins, nor read those at "
                        "TLP:AMBER that are not their party's to read otherwise.",
                        name=person.name,
                        party=localized(party, "name"),
                    ),
                    _("Their bulletins and answers are kept."),
                ],
                mailed=None,
                button=_("Yes, remove from the CSIRT"),
                back_url=_back(party),
            )
        )
    services.unmark_member(db.session, current_user, party, user_id)
    flash(_("The person is no longer a member of the CSIRT."), "success")
    return redirect(_back(party))
