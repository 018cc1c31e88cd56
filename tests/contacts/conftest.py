"""Points of contact for the tests: made in the database as a coordinator would leave them."""

import uuid
from datetime import date, time

import pytest

from portal.contacts.models import Availability, ContactKind, PointOfContact


def make_contact(session, mou, party, **fields) -> PointOfContact:
    """A CSIRT contact answering Monday to Friday, 09:00–17:00 on its party's clock."""
    values = {
        "kind": ContactKind.CSIRT,
        "given_name": "Matías",
        "family_name": "Contreras Vidal",
        "role": "Jefe de turno",
        "organisation": "CSIRT de Gobierno",
        "email": "turno@csirt.example.cl",
        "phone": "+56961234567",
        "availability": Availability.OFFICE_HOURS,
        "office_days": "01234",
        "office_start": time(9),
        "office_end": time(17),
        "timezone": party.timezone,
        "pgp_fingerprint": "ABCD" * 10,
        "last_verified_on": date.today(),
        **fields,
    }
    contact = PointOfContact(mou=mou, party=party, uid=str(uuid.uuid4()), **values)
    session.add(contact)
    session.flush()
    return contact


@pytest.fixture
def contact_of():
    """contact_of(session, mou, party, **fields) -> a stored point of contact."""
    return make_contact
