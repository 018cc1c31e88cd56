"""vCard 4.0 (RFC 6350) of points of contact, written line by line.

Why by hand: vobject, the maintained Python vCard library, serialises vCard 3.0 (its one
vCard behaviour writes VERSION:3.0, checked with 0.9.9), though it reads 4.0 (the tests use
it so); no other maintained library in the lock writes 4.0. The few properties below are
written with RFC 6350's escaping (section 3.4: backslash, comma, semicolon and newline in
text values; in structured values the comma and semicolon inside a component), CRLF line
ends and lines folded at 75 octets without splitting a UTF-8 character (section 3.2). The
tests parse the result with vobject.
"""

from collections.abc import Iterable
from datetime import UTC

from portal.contacts.formats import grouped_fingerprint, phone_uri
from portal.contacts.models import PointOfContact

LINE_OCTETS = 75
CONTENT_TYPE = "text/vcard; charset=utf-8"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 6350 3.4): backslash, comma, semicolon and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def structured(*components: str) -> str:
    """A structured value (N, ORG): its components escaped and joined by semicolons."""
    return ";".join(escape_text(component) for component in components)


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued after CRLF and a space (RFC 6350 3.2)."""
    encoded = line.encode()
    if len(encoded) <= LINE_OCTETS:
        return line
    pieces, current, size, limit = [], [], 0, LINE_OCTETS
    for character in line:
        length = len(character.encode())
        if size + length > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1  # the leading space counts
        current.append(character)
        size += length
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def contact_card(contact: PointOfContact, party_name: str, notes: Iterable[str] = ()) -> str:
    """One contact's vCard; `party_name` in the reader's language, `notes` lines of the NOTE."""
    revised = contact.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:individual",
        f"UID:urn:uuid:{contact.uid}",
        f"FN:{escape_text(contact.name)}",
        f"N:{structured(contact.family_name, contact.given_name, '', '', '')}",
        f"ORG:{structured(*(part for part in (party_name, contact.organisation) if part))}",
        f"TITLE:{escape_text(contact.role)}",
        f"EMAIL;TYPE=work:{escape_text(contact.email)}",
        f'TEL;VALUE=uri;TYPE="work,voice":{phone_uri(contact.phone)}',
    ]
    if contact.pgp_fingerprint:
        lines.append(f"KEY;VALUE=uri:openpgp4fpr:{contact.pgp_fingerprint}")
    note = list(notes)
    if contact.pgp_fingerprint:
        note.append(f"PGP: {grouped_fingerprint(contact.pgp_fingerprint)}")
    if note:
        lines.append(f"NOTE:{escape_text(chr(10).join(note))}")
    lines += [f"TZ;VALUE=text:{escape_text(contact.timezone)}", f"REV:{revised}", "END:VCARD"]
    return "".join(fold(line) + "\r\n" for line in lines)


def cards(contacts: Iterable[tuple[PointOfContact, str, list[str]]]) -> str:
    """Several vCards in one file, one after the other (RFC 6350 3.3)."""
    return "".join(contact_card(contact, party, notes) for contact, party, notes in contacts)
