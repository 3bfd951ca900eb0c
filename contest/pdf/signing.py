"""The organizer's signature on issued contracts (PAdES, by pyHanko): whoever holds the PDF alone, a registrar, a
bank or a court, sees in any PDF reader who signed it and whether a byte changed since.

The certificate is CONTRACT_SIGNING_P12 (a PKCS#12 file, e.g. from a CA, which readers then trust) opened with
CONTRACT_SIGNING_PASSWORD. Unset, the instance gets its own self-signed one on first use:
<instance>/contract-signing.p12 with a random password in <instance>/contract-signing.password (both 0600). That
one proves the file is intact, not who signed it, until its fingerprint (logged when it is made) is published.

pyHanko and cryptography are loaded when a contract is signed, never by create_app().
"""
from __future__ import annotations

import asyncio
import fcntl
import io
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flask import current_app

P12_NAME = "contract-signing.p12"
PASSWORD_NAME = "contract-signing.password"
COMMON_NAME = "揭榜挂帅平台 合同出具"
DEFAULT_ORGANIZER = "揭榜挂帅平台组织方"
FIELD_NAME = "OrganizerSignature"
VALID_YEARS = 20

_lock = threading.Lock()
_signers: dict[tuple, object] = {}  # (path, mtime, size) -> pyhanko SimpleSigner, one per process


def signer_files() -> tuple[Path, bytes]:
    """The PKCS#12 file and its password: the configured ones, or the instance's own (made on first use)."""
    configured = current_app.config.get("CONTRACT_SIGNING_P12")
    if configured:
        password = current_app.config.get("CONTRACT_SIGNING_PASSWORD") or ""
        if not Path(configured).is_file():
            raise RuntimeError(f"contract signing: CONTRACT_SIGNING_P12 names no file: {configured}")
        return Path(configured), password.encode()
    folder = Path(current_app.instance_path)
    p12, secret = folder / P12_NAME, folder / PASSWORD_NAME
    if not p12.is_file():
        with _lock, open(folder / "contract-signing.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # several app servers or workers starting at once make one
            if not p12.is_file():
                organizer = current_app.config.get("CONTRACT_SIGNING_ORGANIZATION") or DEFAULT_ORGANIZER
                fingerprint = create_self_signed(p12, secret, organization=organizer)
                current_app.logger.warning(
                    "contract signing: made a self-signed certificate %s (SHA-256 fingerprint %s); set "
                    "CONTRACT_SIGNING_P12 to sign with a certificate that readers trust", p12, fingerprint)
    return p12, secret.read_text().strip().encode()


def create_self_signed(p12: Path, password_file: Path, *, organization: str) -> str:
    """Write a self-signed EC P-256 signing certificate and its key as PKCS#12, its random password beside it
    (files 0600); the certificate's SHA-256 fingerprint (hex, colon-separated), which may be published.
    No extended key usage: PDF readers refuse signing certificates whose list lacks the purposes they know."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365 * VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(24)
    content = pkcs12.serialize_key_and_certificates(b"contract-signing", key, certificate, None,
                                                   BestAvailableEncryption(password.encode()))
    _write_private(password_file, (password + "\n").encode())
    _write_private(p12, content)
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def _write_private(path: Path, content: bytes) -> None:
    """Readable by the app's user only; under a temporary name first, so nobody reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".{os.getpid()}.part")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def signer():
    """The pyHanko signer of this app's certificate, loaded once per file version."""
    from pyhanko.sign import signers

    p12, password = signer_files()
    stat = p12.stat()
    key = (str(p12), stat.st_mtime_ns, stat.st_size)
    found = _signers.get(key)
    if found is None:
        found = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password)
        if found is None:
            raise RuntimeError(f"contract signing: cannot open {p12} (wrong CONTRACT_SIGNING_PASSWORD?)")
        _signers[key] = found
    return found


def sign_pdf(pdf: bytes) -> bytes:
    """The PDF signed by the organizer (PAdES baseline B, SHA-256, an invisible signature over the whole file),
    appended as an incremental update: the PDF/A document underneath is unchanged."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                            subfilter=fields.SigSeedSubFilter.PADES,
                                            reason="合同出具", location="揭榜挂帅平台")
    chosen = signer()
    if _loop_running():  # pyHanko's sign_pdf runs its own event loop: not inside one (Playwright's, in tests)
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(lambda: signers.sign_pdf(writer, metadata, signer=chosen).getvalue()).result()
    return signers.sign_pdf(writer, metadata, signer=chosen).getvalue()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True
