"""A training's materials: documents given to the participants, each opened under the TLP
rule by whoever may read it (portal/trainings/materials.py), attached by its managers."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.core.errors import NotFound, ValidationError
from portal.core.extensions import db
from portal.core.i18n import localized
from portal.documents.downloads import version_file_response
from portal.trainings import bp, materials
from portal.trainings import services as trainings
from portal.trainings.forms import AttachMaterialForm
from portal.web.confirm import Confirmation, confirmation_page, is_confirmed
from portal.web.forms import page_number


@bp.route("/trainings/<int:training_id>/materials/<int:document_id>")
def material(training_id: int, document_id: int):
    training = trainings.get_training(db.session, current_user, training_id)
    version = materials.current_version_of_material(db.session, current_user, training, document_id)
    return version_file_response(version)


@bp.route("/trainings/<int:training_id>/materials/add")
def add_materials(training_id: int):
    """The documents of the training's MoU its manager may add, most recently changed first,
    a page at a time (the training's page only links here: its readers need no list)."""
    training = trainings.get_managed_training(db.session, current_user, training_id)
    page = materials.material_candidates(
        db.session, current_user, training, page=page_number(request.args)
    )
    return render_template("trainings/add_materials.html", training=training, page=page)


@bp.route("/trainings/<int:training_id>/materials", methods=["POST"])
def attach_material(training_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    form = AttachMaterialForm()
    if not form.validate_on_submit():
        flash(_("Choose a document from the list."), "danger")
        return redirect(url_for("trainings.add_materials", training_id=training.id))
    try:
        materials.attach_material(db.session, current_user, training, form.document_id.data)
    except ValidationError as error:
        flash(error.message, "danger")
        return redirect(url_for("trainings.add_materials", training_id=training.id))
    flash(_("The document has been added to the materials."), "success")
    return redirect(url_for("trainings.detail", training_id=training.id))


@bp.route(
    "/trainings/<int:training_id>/materials/<int:document_id>/remove", methods=["GET", "POST"]
)
def detach_material(training_id: int, document_id: int):
    training = trainings.get_managed_training(db.session, current_user, training_id)
    back = url_for("trainings.detail", training_id=training.id)
    if not is_confirmed():
        document = next(
            (d for d in materials.visible_materials(current_user, training) if d.id == document_id),
            None,
        )
        if document is None:
            raise NotFound()
        consequence = _(
            "The document “%(document)s” will no longer be among the materials of “%(title)s” "
            "(the document stays in the library).",
            document=document.title,
            title=localized(training, "title"),
        )
        return confirmation_page(
            Confirmation(
                title=_("Remove the material?"),
                consequences=[consequence],
                mailed=None,
                button=_("Yes, remove the material"),
                back_url=back,
            )
        )
    materials.detach_material(db.session, current_user, training, document_id)
    flash(_("The document has been removed from the materials."), "success")
    return redirect(back)
