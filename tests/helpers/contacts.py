"""What a coordinator types into the new-contact form: a Chilean CSIRT contact, reachable
at any hour."""

from datetime import date, timedelta


def contact_form(
    email: str, *, role: str = "Jefe de turno", verified_on: date | None = None
) -> dict:
    """The form's fields. Verified two days back unless said: in the past on every clock
    (today is still yesterday in Santiago for the first hours of UTC's day)."""
    verified_on = verified_on or date.today() - timedelta(days=2)
    return {
        "kind": "csirt",
        "given_name": "Ana",
        "family_name": "Pérez",
        "role": role,
        "organisation": "CSIRT",
        "email": email,
        "phone": "+56 2 2486 3850",
        "availability": "always",
        "timezone": "America/Santiago",
        "pgp_fingerprint": "",
        "last_verified_on": verified_on.isoformat(),
    }
