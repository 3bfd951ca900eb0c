"""Issued contracts are signed PDF/A documents: any PDF reader shows the organizer's signature and whether the file
changed since, and the public verification page tells whether an uploaded copy is the very file issued."""
from __future__ import annotations

import io
import logging
import re
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from contest.pdf import signing

from .conftest import PDF
from .test_contracts import World, issued, text


@pytest.fixture
def world(db, edition, make_user, make_need, make_team, make_bid):
    return World(db, edition, make_user, make_need, make_team, make_bid)


def certificate(p12: str | Path, password: str) -> asn1_x509.Certificate:
    _, cert, _ = pkcs12.load_key_and_certificates(Path(p12).read_bytes(), password.encode())
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def validate(pdf: bytes, trusted: asn1_x509.Certificate):
    """pyHanko's validation of the document's one signature, trusting the given certificate (as a reader trusting
    the organizer's certificate would)."""
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    context = ValidationContext(trust_roots=[trusted])
    # pyHanko runs an event loop of its own: in a thread, as the browser tests leave Playwright's running here
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(validate_pdf_signature, signatures[0], context).result()


def changed_one_byte(pdf: bytes) -> bytes:
    """The signed PDF with one byte changed inside a content stream of the document underneath the signature."""
    at = pdf.index(b"stream\n") + len(b"stream\n") + 20
    return pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]


def test_an_issued_contract_is_a_signed_pdfa_that_shows_any_change(client, app, world, login):
    login(world.organizer)
    contract = issued(client, world)
    pdf = client.get(f"/organizer/contracts/{contract.id}/pdf").get_data()
    assert pdf == contract.pdf

    trusted = certificate(app.config["CONTRACT_SIGNING_P12"], app.config["CONTRACT_SIGNING_PASSWORD"])
    status = validate(pdf, trusted)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["organization_name"] == "测试组织方"
    assert "揭榜挂帅平台" in status.signing_cert.subject.native["common_name"]

    # PDF/A-3b, declared in the document's XMP metadata
    metadata = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")3", metadata), metadata
    assert re.search(r"pdfaid:conformance(>|=\")B", metadata), metadata

    tampered = changed_one_byte(pdf)
    try:
        broken = validate(tampered, trusted)
    except SignatureValidationError as e:  # pyHanko may refuse outright instead of reporting
        assert "digest" in str(e).lower() or "intact" in str(e).lower(), e
    else:
        assert not broken.intact and not broken.bottom_line  # the document's digest no longer matches


def test_the_verify_page_says_whether_an_uploaded_pdf_is_the_issued_one(client, world, login):
    login(world.organizer)
    contract = issued(client, world)
    client.post("/auth/logout")
    url = f"/contracts/verify/{contract.verify_token}"
    page = text(client.get(url))
    assert 'enctype="multipart/form-data"' in page and 'name="pdf"' in page and "不会被保存" in page

    r = client.post(url, data={"pdf": (io.BytesIO(contract.pdf), "合同.pdf")})
    assert r.status_code == 200
    assert "data-identical" in text(r) and "完全相同" in text(r) and "data-not-identical" not in text(r)

    r = client.post(url, data={"pdf": (io.BytesIO(changed_one_byte(contract.pdf)), "<b>合同</b>.pdf")})
    assert r.status_code == 200
    assert "data-not-identical" in text(r) and "不是本平台出具的合同 PDF" in text(r) and "data-identical" not in text(r)
    assert "&lt;b&gt;合同&lt;/b&gt;.pdf" in text(r) and "<b>合同</b>" not in text(r)

    r = client.post(url, data={"pdf": (io.BytesIO("合同正文".encode()), "合同.docx")})
    assert r.status_code == 400 and "不是 PDF 文件" in text(r)
    r = client.post(url, data={"pdf": (io.BytesIO(b""), "合同.pdf")})
    assert r.status_code == 400 and "请选择要核对的合同 PDF 文件" in text(r)
    r = client.post(url, data={})
    assert r.status_code == 400
    assert client.post("/contracts/verify/no-such-token", data={"pdf": (io.BytesIO(PDF), "a.pdf")}).status_code == 404


def test_without_a_configured_certificate_the_instance_makes_its_own_once(app, caplog):
    app.config.update(CONTRACT_SIGNING_P12=None, CONTRACT_SIGNING_PASSWORD=None)
    folder = Path(app.instance_path)
    with caplog.at_level(logging.WARNING):
        first = signing.sign_pdf(PDF)
        second = signing.sign_pdf(PDF)
    made = [r for r in caplog.records if "self-signed" in r.getMessage()]
    assert len(made) == 1 and "CONTRACT_SIGNING_P12" in made[0].getMessage()
    p12, secret = folder / "contract-signing.p12", folder / "contract-signing.password"
    assert stat.S_IMODE(p12.stat().st_mode) == 0o600 and stat.S_IMODE(secret.stat().st_mode) == 0o600
    own = certificate(p12, secret.read_text().strip())
    assert own.subject.native["organization_name"] == app.config["CONTRACT_SIGNING_ORGANIZATION"]
    for signed in (first, second):
        assert signed.startswith(PDF)  # an incremental update: the document underneath is unchanged
        status = validate(signed, own)
        assert status.intact and status.valid and status.trusted
