#!/usr/bin/env python3
"""Writes the DOCX, ODT and zip-bomb fixtures of the Extract tests (run from this folder; outputs committed).

The documents are the smallest valid packages Word and LibreOffice open: the parts a reader needs and
nothing else, written by hand so that the tests depend on no office suite.
"""
import zipfile

# A fixed date keeps the committed files identical when they are written again.
_writestr = zipfile.ZipFile.writestr
def _fixed_date_writestr(self, name, data, compress_type=None, compresslevel=None):
    info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.date_time = (2026, 1, 1, 0, 0, 0)
    if compress_type is None and not isinstance(name, zipfile.ZipInfo):
        info.compress_type = self.compression
    return _writestr(self, info, data, compress_type=compress_type, compresslevel=compresslevel)
zipfile.ZipFile.writestr = _fixed_date_writestr

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

def paragraph(text, style=None, numbered=False):
    properties = ""
    if style or numbered:
        properties = "<w:pPr>"
        if style:
            properties += '<w:pStyle w:val="%s"/>' % style
        if numbered:
            properties += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        properties += "</w:pPr>"
    # Two runs per paragraph, as Word writes after an edit, to check that runs join without a gap.
    half = len(text) // 2
    cut = text.rfind(" ", 0, half) + 1 or half
    return '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r></w:p>' % (
        properties, escape(text[:cut]), escape(text[cut:]))

def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

def cell(text):
    return "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>%s</w:tc>" % paragraph(text)

def row(*cells):
    return "<w:tr>%s</w:tr>" % "".join(cell(text) for text in cells)

def docx_document():
    body = "".join([
        paragraph("Community Link Worker Programme Specification", "Title"),
        paragraph("Programme aims", "Heading1"),
        paragraph("The programme prepares link workers to support people with non-medical needs that affect their health and wellbeing."),
        paragraph("Learning outcomes", "Heading1"),
        paragraph("On completion, learners will be able to meet the outcomes in the table below."),
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/></w:tblPr>",
        row("Code", "Learning outcome", "Assessment"),
        row("LO1", "Explain the social determinants of health and their effect on wellbeing.", "Essay"),
        row("LO2", "Hold a person-centred conversation and agree a shared plan.", "Observed practice"),
        row("LO3", "Refer people to community groups and follow up the referral.", "Portfolio"),
        "</w:tbl>",
        paragraph("Teaching methods", "Heading1"),
        paragraph("Workshops with role play on motivational interviewing.", numbered=True),
        paragraph("Supervised placement in a primary care network.", numbered=True),
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>',
    ])
    return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s</w:body></w:document>' % (W, body)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""

def write_docx(name, document, parts=None):
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
        for part, xml in (parts or {}).items():
            archive.writestr(part, xml)

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wp14"')

def anchor(inner):
    # A floating drawing as Word writes it: its position and size are element text, not attributes.
    return ('<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="2" behindDoc="0" '
            'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
            '<wp:positionH relativeFrom="column"><wp:posOffset>3012440</wp:posOffset></wp:positionH>'
            '<wp:positionV relativeFrom="paragraph"><wp:align>center</wp:align></wp:positionV>'
            '<wp:extent cx="2000000" cy="400000"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Shape 1"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">%s'
            '</a:graphicData></a:graphic><wp14:sizeRelH relativeFrom="margin"><wp14:pctWidth>40000</wp14:pctWidth>'
            '</wp14:sizeRelH><wp14:sizeRelV relativeFrom="margin"><wp14:pctHeight>20000</wp14:pctHeight></wp14:sizeRelV>'
            '</wp:anchor>') % inner

def drawing_document():
    box_text = "Text box: referrals are answered within five working days."
    text_box = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>%s</w:drawing></mc:Choice>'
                '<mc:Fallback><w:pict><v:rect><v:textbox><w:txbxContent>%s</w:txbxContent></v:textbox></v:rect></w:pict>'
                '</mc:Fallback></mc:AlternateContent></w:r>') % (
        anchor('<wps:wsp><wps:txbx><w:txbxContent>%s</w:txbxContent></wps:txbx></wps:wsp>' % paragraph(box_text)),
        paragraph(box_text))
    picture = '<w:r><w:drawing>%s</w:drawing></w:r>' % anchor(
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="2" name="Datum plane"/></pic:nvPicPr></pic:pic>')
    body = "".join([
        paragraph("Referral pathways", "Heading1"),
        '<w:p><w:r><w:t xml:space="preserve">Link workers accept referrals from practices and from people themselves.</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r>%s</w:p>' % text_box,
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Each referral is followed up by telephone.</w:t></w:r>'
        '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>%s</w:p>' % picture,
        '<w:sectPr><w:headerReference w:type="default" r:id="rId8" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></w:sectPr>',
    ])
    document = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s</w:body></w:document>' % (NS, body)
    header = '<?xml version="1.0" encoding="UTF-8"?>\n<w:hdr %s>%s</w:hdr>' % (NS, paragraph("Northshire Link Service - Referral guide"))
    footer = '<?xml version="1.0" encoding="UTF-8"?>\n<w:ftr %s>%s</w:ftr>' % (NS, paragraph("Version 3, reviewed yearly"))
    footnotes = ('<?xml version="1.0" encoding="UTF-8"?>\n<w:footnotes %s>'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
                 '<w:footnote w:id="1">%s</w:footnote></w:footnotes>') % (NS, paragraph("Self-referral opened in 2025."))
    endnotes = ('<?xml version="1.0" encoding="UTF-8"?>\n<w:endnotes %s><w:endnote w:id="1">%s</w:endnote></w:endnotes>'
                % (NS, paragraph("See the service directory for opening hours.")))
    comments = ('<?xml version="1.0" encoding="UTF-8"?>\n<w:comments %s><w:comment w:id="0" w:author="Reviewer">%s</w:comment>'
                '</w:comments>') % (NS, paragraph("Reviewer remark: check this with the practice."))
    return document, {"word/header1.xml": header, "word/header2.xml": header, "word/footer1.xml": footer,
                      "word/footnotes.xml": footnotes, "word/endnotes.xml": endnotes, "word/comments.xml": comments}

def write_odt(name):
    content = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"><office:body><office:text>
<text:h text:outline-level="1">Référentiel de compétences</text:h>
<text:p>Ce référentiel décrit les compétences attendues de l'agent de liaison en prescription sociale.</text:p>
<text:list><text:list-item><text:p>Écouter la personne et cerner ce qui compte pour elle.</text:p></text:list-item><text:list-item><text:p>Orienter vers les<text:s/>ressources communautaires.</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>C1</text:p></table:table-cell><table:table-cell><text:p>Travailler en partenariat avec les organismes du milieu.</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"""
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype comes first and uncompressed, as the OpenDocument package format requires.
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)

ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
       'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3"')

def write_odt_notes(name):
    # A footnote and an endnote written where they are cited, and headers and footers on two master pages
    # (the same header on both, to be read once).
    content = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content %s><office:body><office:text>
<text:h text:outline-level="1">Referral guide</text:h>
<text:p>People can refer themselves<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Self-referral opened in 2025.</text:p></text:note-body></text:note> or be referred by their practice.<text:note text:id="edn1" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>See the service directory for opening hours.</text:p></text:note-body></text:note></text:p>
</office:text></office:body></office:document-content>""" % ODF
    styles = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles %s><office:master-styles>
<style:master-page style:name="Standard"><style:header><text:p>Northshire Link Service - Referral guide</text:p></style:header><style:footer><text:p>Version 3, reviewed every year</text:p></style:footer></style:master-page>
<style:master-page style:name="Landscape"><style:header><text:p>Northshire Link Service - Referral guide</text:p></style:header></style:master-page>
</office:master-styles></office:document-styles>""" % ODF
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", styles)

def write_zip_bomb(name):
    # A DOCX-shaped package whose document part inflates to 50 MB of spaces from about 50 KB.
    filler = " " * 50_000_000
    document = '<?xml version="1.0"?><w:document %s><w:body>%s</w:body></w:document>' % (W, filler)
    with zipfile.ZipFile(name, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)

def write_lying_zip_bomb(source, name):
    # The same bomb with headers that claim the document part is 2 KB: only counting inflated bytes stops it.
    data = bytearray(open(source, "rb").read())
    entry = b"word/document.xml"
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset:start + name_offset + len(entry)] == entry:
                data[start + size_offset:start + size_offset + 4] = (2048).to_bytes(4, "little")
            start += 4
    open(name, "wb").write(bytes(data))

if __name__ == "__main__":
    write_docx("programme-specification.docx", docx_document())
    write_docx("drawing-footnote.docx", *drawing_document())
    write_odt("referentiel.odt")
    write_odt_notes("notes-header.odt")
    write_zip_bomb("zip-bomb.docx")
    write_lying_zip_bomb("zip-bomb.docx", "zip-bomb-lying-sizes.docx")
