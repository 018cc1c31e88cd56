"""Issue 13 item 6: external participants belong to no delegation.

They are not invited "to join the delegation of Chile"; rosters, reports, their CSV and
certificates show their organisation and count them under "External participants", per
sector, never under the party of the coordinator who invited them.
"""

import re

from sqlalchemy import select

from portal.trainings.certificates import Certificate, issue_certificates
from portal.trainings.models import AttendanceMark, Sector, TrainingInvitation
from tests import factories
from tests.conftest import csrf_token, post
from tests.helpers.pdf import pdf_text
from tests.helpers.trainings import in_days, mails

BANK = "Banco del Pacífico"


def _ended_training(world, session):
    """Ended yesterday: the external participant (of a bank) and a Chilean member, present."""
    training = factories.make_training(session, world.mou, in_days(-1), allow_external=True)
    training.invitations.append(TrainingInvitation(email=world.external_cl.email))
    factories.make_registration(
        session,
        training,
        world.external_cl,
        organisation=BANK,
        sector=Sector.PRIVATE,
        attendance=AttendanceMark.PRESENT,
    )
    factories.make_registration(
        session, training, world.member_cl, attendance=AttendanceMark.PRESENT
    )
    session.commit()
    return training


def _rows(page: str, caption: str) -> dict[str, str]:
    body = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return dict(re.findall(r'<tr data-key="([^"]+)">\s*<t[hd][^>]*>([^<]+)<', body))


def test_an_external_participant_is_counted_apart_with_their_organisation(
    app, world, session, login_as
):
    training = _ended_training(world, session)
    coordinator = login_as(world.coordinator_gb)

    roster = coordinator.get(f"/trainings/{training.id}/roster").get_data(as_text=True)
    external_row = next(row for row in roster.split("<tr") if world.external_cl.name in row)
    assert BANK in external_row and "External participant" in external_row
    assert ">CL<" not in external_row

    report = coordinator.get(f"/trainings/{training.id}/report").get_data(as_text=True)
    rows = _rows(report, "Per party")
    assert rows["external-private"].strip() == "External participants · Private sector"
    cl_row = report.split(f'<tr data-key="{world.cl.id}">', 1)[1].split("</tr>", 1)[0]
    assert 'data-column="registrations">1<' in cl_row  # the Chilean member only

    csv = coordinator.get(f"/trainings/{training.id}/report.csv").get_data(as_text=True)
    assert "External participants · Private sector" in csv

    with app.test_request_context():
        issue_certificates(session, world.coordinator_cl, training)
    session.commit()
    certificate = session.scalars(select(Certificate)).all()
    theirs = next(c for c in certificate if c.registration.user_id == world.external_cl.id)
    pdf = login_as(world.external_cl).get(f"/trainings/{training.id}/certificates/{theirs.id}.pdf")
    assert BANK in pdf_text(pdf)


def test_an_external_participant_is_not_invited_into_a_delegation(client, world, session, login_as):
    training = factories.make_training(session, world.mou, in_days(10), allow_external=True)
    session.commit()
    page = f"/trainings/{training.id}/invite"
    coordinator = login_as(world.coordinator_cl)
    data = {"email": "analyst@bank.example", "language": "en"}
    assert post(coordinator, page, data, token_from=page).status_code == 302
    [mail] = mails(session, "invitation", "analyst@bank.example")
    assert "delegation" not in mail.body_text
    link = re.search(r"http://portal\.test(/auth/invitation/\S+)", mail.body_text).group(1)
    csrf_token(client, link)
    accept = client.get(link).get_data(as_text=True)
    assert "as an external participant" in accept and "delegation of" not in accept


def test_the_general_invitation_mail_of_an_external_names_no_delegation(app, world, session):
    from portal.accounts.invitations import InvitationRequest, invite
    from portal.accounts.models import Role
    from portal.core.extensions import db

    with app.test_request_context():
        actor = db.session.merge(world.coordinator_cl)
        request = InvitationRequest(
            email="guest@univ.example", party_id=world.cl.id, role=Role.EXTERNAL, language="en"
        )
        invite(db.session, actor, request)
        db.session.commit()
    [mail] = mails(session, "invitation", "guest@univ.example")
    assert "as an external participant" in mail.body_text
    assert "delegation of" not in mail.body_text
