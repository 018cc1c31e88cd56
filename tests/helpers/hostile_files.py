"""Hostile files, built small in memory: compression bombs, deep XML, PDFs that cost a lot."""

import io
import struct
import zipfile
import zlib

import docx as docx_package
from odf.opendocument import OpenDocumentText
from odf.text import P

WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODT_OPEN = (
    '<?xml version="1.0"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
    "<office:body><office:text>"
)
ODT_CLOSE = "</office:text></office:body></office:document-content>"


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _real_docx() -> bytes:
    document = docx_package.Document()
    document.add_paragraph("modelo")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _real_odt() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(P(text="modelo"))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _replacing(package: bytes, part: str, write_part) -> bytes:
    """A copy of a real package (so real parsers get as far as `part`) with `part` rewritten."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            if info.filename == part:
                with target.open(_deflated(part), "w") as member:
                    write_part(member)
            else:
                target.writestr(info, source.read(info))
    return buffer.getvalue()


def docx(document_xml: str) -> bytes:
    return _replacing(_real_docx(), "word/document.xml", lambda m: m.write(document_xml.encode()))


def word_document(body: str) -> str:
    return (
        f'<?xml version="1.0"?><w:document xmlns:w="{WORD_NS}"><w:body>{body}</w:body></w:document>'
    )


def bomb_docx(inflated_bytes: int) -> bytes:
    """A DOCX of some tens of KB whose document.xml inflates to `inflated_bytes`."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{WORD_NS}"><w:body>'
    unit = "<w:p><w:r><w:t>bomba</w:t></w:r></w:p>"
    return _replacing(
        _real_docx(),
        "word/document.xml",
        lambda m: _repeat(m, head, unit, inflated_bytes, "</w:body></w:document>"),
    )


def lying_docx(inflated_bytes: int, declared_bytes: int) -> bytes:
    """A DOCX bomb whose local and central headers declare document.xml `declared_bytes` long."""
    data = bytearray(bomb_docx(inflated_bytes))
    name = b"word/document.xml"
    for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
        at = data.find(signature)
        while data[at + name_at : at + name_at + len(name)] != name:
            at = data.find(signature, at + 4)
        data[at + size_at : at + size_at + 4] = struct.pack("<I", declared_bytes)
    return bytes(data)


def odt(content_xml: str) -> bytes:
    return _replacing(_real_odt(), "content.xml", lambda m: m.write(content_xml.encode()))


def bomb_odt(inflated_bytes: int) -> bytes:
    """An ODT of some tens of KB whose content.xml inflates to `inflated_bytes`."""
    return _replacing(
        _real_odt(),
        "content.xml",
        lambda m: _repeat(m, ODT_OPEN, "<text:p>bomba</text:p>", inflated_bytes, ODT_CLOSE),
    )


def deeply_nested_odt(depth: int) -> bytes:
    """An ODT whose one paragraph sits inside `depth` spans."""
    spans = "<text:span>" * depth + "profundo" + "</text:span>" * depth
    return odt(f"{ODT_OPEN}<text:p>{spans}</text:p>{ODT_CLOSE}")


def _repeat(member, head: str, unit: str, size: int, tail: str) -> None:
    chunk = (unit * max(1, (1024**2) // len(unit))).encode()
    member.write(head.encode())
    for _ in range(max(1, size // len(chunk))):
        member.write(chunk)
    member.write(tail.encode())


def zip_with_members(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(count):
            archive.writestr(f"{number}.txt", "")
    return buffer.getvalue()


def _pdf(objects: dict[int, bytes]) -> tuple[bytearray, dict[int, int]]:
    """The numbered objects of a PDF, and where each starts; the caller adds the xref."""
    out, offsets = bytearray(b"%PDF-1.5\n"), {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    return bytes(out), offsets


def pdf_with_huge_object_stream(inflated_bytes: int, text: str = "Objeto") -> bytes:
    """A one-page PDF whose page object sits in an object stream inflating to
    `inflated_bytes` (the rest is white space): reading the page inflates all of it."""
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    header = b"3 0 "
    inflater = zlib.compressobj(9)
    packed = inflater.compress(header + page)
    blank = b" " * 1024**2
    for _ in range(inflated_bytes // len(blank)):
        packed += inflater.compress(blank)
    packed += inflater.flush()
    contents = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        4: b"<< /Length %d >>\nstream\n" % len(contents) + contents + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    }
    out, offsets = _pdf(objects)
    xref_at = len(out)
    # Object 3 is the first (index 0) in object stream 6; 7 is this cross-reference stream.
    rows = [(0, 0, 65535)]
    rows += [(1, offsets[n], 0) for n in (1, 2)]
    rows += [(2, 6, 0)]
    rows += [(1, offsets[n], 0) for n in (4, 5, 6)]
    rows += [(1, xref_at, 0)]
    table = b"".join(
        bytes([kind]) + field.to_bytes(4, "big") + gen.to_bytes(2, "big")
        for kind, field, gen in rows
    )
    out += (
        b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return bytes(out)


def pdf_of_many_pages(pages: int, text: str = "Hoja", lines_per_page: int = 1) -> bytes:
    """A PDF of `pages` pages sharing one content stream of `lines_per_page` lines: small,
    slow to read through."""
    contents = b" ".join([f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()] * lines_per_page)
    kids = b" ".join(b"%d 0 R" % (10 + n) for n in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        4: b"<< /Length %d >>\nstream\n" % len(contents) + contents + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for n in range(pages):
        objects[10 + n] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        )
    out, offsets = _pdf(objects)
    size = max(objects) + 1
    xref_at = len(out)
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        if number in offsets:
            out += b"%010d 00000 n \n" % offsets[number]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)
