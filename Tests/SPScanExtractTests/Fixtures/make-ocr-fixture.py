#!/usr/bin/env python3
"""Writes scanned-page.pdf, the OCR fixture of the Extract tests (run from this folder; the output is committed).

A known text (KNOWN_TEXT, which the test compares with) is set as a text PDF, rendered at 300 dpi in black
and white by poppler's pdftoppm, and the picture is wrapped in a new PDF as its only content: an image-only
page, as a scanner makes, with no text layer. Needs poppler-utils to run; the tests do not run it.
"""
import importlib.util
import subprocess
import tempfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("pdf_fixtures", HERE / "make-pdf-fixtures.py")
fixtures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixtures)

KNOWN_TEXT = [
    "Social prescribing link worker induction",
    "Link workers give people time to talk about what matters to them and connect them with community groups,",
    "voluntary services and activities that support their health and wellbeing. Referrals come from general",
    "practices, hospital teams, social workers and the person themselves. The first conversation explores the",
    "person's own goals, and together they agree a simple plan with one or two steps to take before the next meeting.",
    "Safeguarding concerns are recorded on the same day and discussed with the named lead. Supervision is held",
    "every month, in a group or one to one, so that each worker can reflect on difficult cases and on their wellbeing.",
]

def text_pdf():
    lines = [(54, 330, 16, KNOWN_TEXT[0])] + [(54, 300 - 18 * index, 10, line) for index, line in enumerate(KNOWN_TEXT[1:])]
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 360] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
               fixtures.stream(fixtures.text_ops(lines))]
    return fixtures.pdf(objects)

def image_pdf(width, height, bits):
    # 1 bit per pixel, rows padded to whole bytes as in PBM; PBM's 1 is black, so the decode array inverts.
    data = zlib.compress(bits, 9)
    image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1 "
             b"/Decode [1 0] /Filter /FlateDecode /Length %d >>\nstream\n" % (width, height, len(data)) + data + b"\nendstream")
    return fixtures.pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 360] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
        fixtures.stream(b"q 612 0 0 360 0 0 cm /Im1 Do Q\n"),
        image,
    ])

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "text.pdf"
        source.write_bytes(text_pdf())
        subprocess.run(["pdftoppm", "-r", "300", "-mono", "-singlefile", str(source), str(Path(folder) / "page")], check=True)
        pbm = (Path(folder) / "page.pbm").read_bytes()
        # P4 header: magic, width, height, then the bits.
        fields = pbm.split(maxsplit=3)
        width, height, bits = int(fields[1]), int(fields[2]), fields[3]
        (HERE / "scanned-page.pdf").write_bytes(image_pdf(width, height, bits))
    (HERE / "scanned-page.txt").write_text("\n".join(KNOWN_TEXT) + "\n")
