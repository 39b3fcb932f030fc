#!/usr/bin/env python3
"""Writes the PDF fixtures of the Extract tests (run from this folder; the outputs are committed).

PDFs are written by hand, object by object, so that the tests depend on no PDF tool: a two-column handbook
with a running header and footer on each page, a scan-like PDF with no text layer, an encrypted PDF and a
corrupt one.
"""
import random

def pdf(objects, trailer_extra=""):
    """objects: list of bytes bodies for objects 1..n; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra.encode(), xref)
    return bytes(out)

def stream(content):
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"

def escape(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")

def text_ops(lines):
    """lines: (x, y, size, text) tuples."""
    ops = bytearray()
    for x, y, size, text in lines:
        ops += b"BT /F1 %d Tf %d %d Td (" % (size, x, y) + escape(text) + b") Tj ET\n"
    return bytes(ops)

def wrap(text, width):
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = (line + " " + word).strip()
    if line:
        lines.append(line)
    return lines

def column(x, top, blocks):
    """blocks: ("h", text) or ("p", text) or ("li", text); returns positioned lines."""
    lines, y = [], top
    for kind, text in blocks:
        if kind == "h":
            y -= 10
            lines.append((x, y, 13, text))
            y -= 22
            continue
        prefix = "\x95 " if kind == "li" else ""
        for index, line in enumerate(wrap(text, 40)):
            lines.append((x + (0 if index == 0 or kind != "li" else 10), y, 10, (prefix if index == 0 else "") + line))
            y -= 13
        y -= 13
    return lines

PAGES = [
    (
        [
            ("p", "This handbook describes the certificate for social prescribing link workers. It explains how "
                  "the course builds the skills that a link worker needs in the first year of practice."),
            ("h", "Module 1: Personalised care"),
            ("p", "Learners practise what matters to me conversations and co-produce a personalised support "
                  "plan with each person, agreeing goals that the person chooses."),
        ],
        [
            ("p", "Each module combines online study with supervised placements in a primary care network, and "
                  "ends with a short assessed case study."),
            ("p", "Placements are arranged by the college with local practices."),
            ("h", "Module 2: Community assets"),
            ("p", "Learners map local community groups, voluntary organisations and statutory services, and keep "
                  "a directory of assets up to date with partners."),
            ("li", "Build relationships with community groups."),
            ("li", "Refer people to activities that match their goals."),
        ],
    ),
    (
        [
            ("h", "Module 3: Safeguarding"),
            ("p", "Learners recognise signs of abuse and neglect, follow the safeguarding policy of their "
                  "organisation and know when to escalate a concern to the named lead."),
        ],
        [
            ("p", "Safeguarding training is renewed every year and recorded in the learner's portfolio."),
            ("h", "Module 4: Reflective practice"),
            ("p", "Learners take part in monthly group supervision and keep a reflective log that they discuss "
                  "with their supervisor, looking after their own wellbeing."),
        ],
    ),
]

def handbook():
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    kids = []
    for number, (left, right) in enumerate(PAGES, start=1):
        lines = [(72, 750, 9, "Northshire College \x96 Link Worker Training Handbook 2026")]
        if number == 1:
            lines.append((72, 705, 18, "Link Worker Training Handbook"))
        lines += column(72, 670, left) + column(336, 670, right)
        lines += [(72, 40, 9, "Northshire College \x96 Confidential draft"), (500, 40, 9, "Page %d of %d" % (number, len(PAGES)))]
        content = text_ops(lines)
        objects.append(stream(content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return pdf(objects)

def bullet_column():
    # As word processors write lists: each bullet glyph is a text object of its own, left of its item's text,
    # so poppler reads the bullets as a column of their own, apart from the items they belong to.
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    lines = [(72, 720, 16, "Learning outcomes"),
             (72, 690, 10, "By the end of the course, learners will be able to:")]
    items = [
        ["Hold a person-centred conversation about what matters"],
        ["Map the community groups and services in their area,", "keeping the directory up to date with partners"],
        ["Follow up each referral and close support well"],
    ]
    y = 670
    for item in items:
        lines.append((78, y, 10, "\x95"))
        for line in item:
            lines.append((92, y, 10, line))
            y -= 13
    lines.append((72, y - 13, 10, "Assessment is by a portfolio of three case studies."))
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>")
    objects.append(stream(text_ops(lines)))
    return pdf(objects)

def image_only():
    # A page that paints one greyscale image over the page, as a scan does: no text operators at all.
    pixels = bytes((x * 16 + y * 8) % 256 for y in range(16) for x in range(16))
    image = b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    content = b"q 468 0 0 648 72 72 cm /Im1 Do Q\n"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        stream(content),
        image,
    ])

def blank():
    # Two pages that paint a grey rectangle and nothing else: no text, no images.
    content = b"0.9 g 72 72 468 648 re f\n"
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R >>",
        stream(content),
    ])

def one_page_text(lines, pages=1, encoding=b"/WinAnsiEncoding"):
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding %s >>" % encoding]
    content_number = 4 + pages
    kids = list(range(4, 4 + pages))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), pages)
    for _ in kids:
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_number)
    objects.append(stream(text_ops(lines)))
    return pdf(objects)

def backspace():
    # A backspace (U+0008) inside the text, which pdftotext copies into its XML output as it is: code 8 of
    # the font is named uni0008, as some generators name their control glyphs.
    return one_page_text(encoding=b"<< /BaseEncoding /WinAnsiEncoding /Differences [8 /uni0008] >>", lines=[(72, 700, 12, "Referral pathways for link workers"),
                          (72, 680, 10, "Each referral is followed up within two weeks\x08 and closed with the person."),
                          (72, 666, 10, "Supervision is monthly.")])

def repeated_pages():
    # The same short form printed on three pages, its text near the top of each: not a running header.
    return one_page_text([(72, 760, 11, "Volunteer link worker sign-up form: name, phone, availability.")], pages=3)

def encrypted():
    # A standard security handler (RC4, revision 2) whose user password is not empty: readers must ask for it.
    rng = random.Random(5)
    owner = bytes(rng.randrange(256) for _ in range(32)).hex()
    user = bytes(rng.randrange(256) for _ in range(32)).hex()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        stream(bytes(rng.randrange(256) for _ in range(40))),
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (owner.encode(), user.encode()),
    ]
    return pdf(objects, trailer_extra="/Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] ")

def corrupt():
    # A PDF header and then the middle of a download cut short: no objects, no cross-reference table.
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n" + bytes(range(256)) * 4

if __name__ == "__main__":
    for name, data in [("handbook-two-columns.pdf", handbook()), ("bullet-column.pdf", bullet_column()), ("image-only.pdf", image_only()),
                       ("encrypted.pdf", encrypted()), ("corrupt.pdf", corrupt()),
                       ("blank.pdf", blank()), ("backspace.pdf", backspace()), ("repeated-pages.pdf", repeated_pages())]:
        with open(name, "wb") as handle:
            handle.write(data)
