"""Configuration: defaults, then instance/config.py, then the environment."""
from __future__ import annotations

import os

DEFAULT_SECRET_KEY = "dev-insecure-change-me"


class Config:
    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # set from instance_path in create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # 20 MB for the challenge report plus room for the form's text fields.
    BID_PDF_MAX_BYTES = 20 * 1024 * 1024
    MAX_CONTENT_LENGTH = BID_PDF_MAX_BYTES + 256 * 1024
    # Pages a challenge report (or a signed contract scan) may have at most.
    BID_PDF_MAX_PAGES = 300
    # CPU seconds for checking an upload or making a judge's blind copy, in a child process (files/pdf_sandbox.py).
    PDF_CHECK_SECONDS = 10
    # Address space (MB) of that child process.
    PDF_CHECK_MEMORY_MB = 512
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    BOOTSTRAP_SERVE_LOCAL = True
    WTF_CSRF_TIME_LIMIT = None
    PAGE_SIZE = 20
    # The public catalogue and need pages answered again from memory to visitors without cookies for this many
    # seconds (contest/web/page_cache.py); 0 turns it off.
    PAGE_CACHE_FRESH_SECONDS = 1.0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Send the session cookie over HTTPS only: set SESSION_COOKIE_SECURE=1 when the site is served on HTTPS.
    SESSION_COOKIE_SECURE = False
    TRUSTED_PROXIES = 0
    # Log-in throttling (Flask-Limiter): per client address and per account name.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10/minute"
    # The public address printed in contracts' QR codes (e.g. https://contest.example.cn); when unset,
    # the address of the request that issues the contract, or http://localhost from the command line.
    PUBLIC_BASE_URL: str | None = None
    # Where uploaded bid PDFs and signed contract scans are kept (under STORAGE_DIR/uploads): the instance
    # folder when unset. With several app servers, point them all at one shared directory.
    STORAGE_DIR: str | None = None
    # Jobs (contest/services/jobs): the queue is a SQLite file in the instance folder (jobs.sqlite) unless
    # JOBS_URL names a Redis server (redis://host:6379/1), which several app servers and workers then share.
    JOBS_URL: str | None = None
    # Run each job inside the request that submits it, once it commits (no worker): None means "when TESTING".
    JOBS_IMMEDIATE: bool | None = None
    # A running job whose heartbeat is older than this (seconds) lost its worker: it is queued again.
    JOB_STALE_AFTER = 120
    # Attempts (its worker killed, or retried by hand) after which a job is no longer queued again by itself.
    JOB_MAX_ATTEMPTS = 3
    # Result files are deleted this long (seconds) after their job finished.
    JOB_RESULT_TTL = 24 * 3600
    # Where result files are kept: STORAGE_DIR/jobs (beside uploads/) when unset; shared by every server.
    JOBS_FOLDER: str | None = None
    # The key of the audit chain's HMAC (contest/services/records/chain.py), kept outside the database: when
    # unset, derived from SECRET_KEY (so changing SECRET_KEY then changes it: set this before rotating that).
    AUDIT_CHAIN_KEY: str | None = None
    # The last audit event id sealed with plain SHA-256 before the chain was keyed (an instance upgraded from
    # such a version: the head `check` printed before the upgrade); later plain-hashed events are violations.
    AUDIT_CHAIN_PLAIN_THROUGH: int | None = None
    # Mail (contest/services/notify): the SMTP relay. Without SMTP_HOST, mail goes to the local sink that
    # `make run` starts (`flask mail-sink`, 127.0.0.1:MAIL_SINK_PORT), and the organizer's mail log shows it.
    SMTP_HOST: str | None = None
    SMTP_PORT: int | None = None          # 25 by default (465 with SMTP_TLS=ssl is usual)
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_TLS: str = ""                    # "starttls", "ssl", or empty for none
    SMTP_TIMEOUT = 30
    MAIL_FROM: str | None = None          # e.g. 揭榜挂帅平台 <noreply@contest.example.cn>
    MAIL_SINK_PORT = 8025
    # Hand the outbox to the workers: None means always, except in tests that name no SMTP_HOST.
    MAIL_DELIVER: bool | None = None
    # Seconds before each new attempt after a refusal or an unreachable server; after the last, the message
    # fails and waits for the organizer's resend.
    MAIL_RETRY_DELAYS = "60,300,1800,7200,21600"
    # A message "sending" for longer than this (seconds) lost its worker: it is sent again, same Message-ID.
    MAIL_STALE_AFTER = 600
    MAIL_DIGEST_HOUR = 18                 # Beijing time, when the day's digests are written
    MAIL_REMIND_DAYS = 2                  # how near a due date (review end, bidding deadline) reminders go
    MAIL_SIGNING_REMIND_DAYS = 7          # days after issuing that an unsigned contract's parties are reminded
    # Issued contracts are signed PDFs (contest/pdf/signing.py) with the certificate and key of this PKCS#12 file,
    # e.g. one from a CA that PDF readers trust; CONTRACT_SIGNING_PASSWORD opens it. When unset, the instance
    # folder's own self-signed contract-signing.p12 (made on first use, its password in contract-signing.password):
    # it proves a file unchanged, but not who signed it until its fingerprint is published.
    CONTRACT_SIGNING_P12: str | None = None
    CONTRACT_SIGNING_PASSWORD: str | None = None
    # The organization (O) named in that self-signed certificate.
    CONTRACT_SIGNING_ORGANIZATION = "揭榜挂帅平台组织方"
    # Largest PDF the public verification page accepts for comparing with the issued one.
    VERIFY_UPLOAD_MAX_BYTES = 20 * 1024 * 1024


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret"
    JOBS_IMMEDIATE = True


def from_environment() -> dict:
    """Settings the environment overrides (DATABASE_URL, SECRET_KEY, AUDIT_CHAIN_KEY, TRUSTED_PROXIES,
    SESSION_COOKIE_SECURE, RATELIMIT_STORAGE_URI, STORAGE_DIR, JOBS_URL, JOB_STALE_AFTER, JOB_RESULT_TTL, the
    mail's SMTP_* and MAIL_*, the contract signing certificate's CONTRACT_SIGNING_*, and the open API's
    API_RATE_LIMIT and API_CORS_ORIGINS, the origins separated by commas or spaces)."""
    found: dict = {}
    if os.environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        found["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("AUDIT_CHAIN_KEY"):
        found["AUDIT_CHAIN_KEY"] = os.environ["AUDIT_CHAIN_KEY"]
    if os.environ.get("PUBLIC_BASE_URL"):
        found["PUBLIC_BASE_URL"] = os.environ["PUBLIC_BASE_URL"]
    if os.environ.get("TRUSTED_PROXIES"):
        found["TRUSTED_PROXIES"] = int(os.environ["TRUSTED_PROXIES"])
    if os.environ.get("SESSION_COOKIE_SECURE"):
        found["SESSION_COOKIE_SECURE"] = os.environ["SESSION_COOKIE_SECURE"].strip().lower() in ("1", "true", "yes", "on")
    if os.environ.get("STORAGE_DIR"):
        found["STORAGE_DIR"] = os.environ["STORAGE_DIR"]
    if os.environ.get("RATELIMIT_STORAGE_URI"):
        found["RATELIMIT_STORAGE_URI"] = os.environ["RATELIMIT_STORAGE_URI"]
    if os.environ.get("JOBS_URL"):
        found["JOBS_URL"] = os.environ["JOBS_URL"]
    for name in ("JOB_STALE_AFTER", "JOB_RESULT_TTL", "MAIL_STALE_AFTER"):
        if os.environ.get(name):
            found[name] = float(os.environ[name])
    for name in ("SMTP_HOST", "SMTP_USER", "SMTP_PASSWORD", "SMTP_TLS", "MAIL_FROM", "MAIL_RETRY_DELAYS",
                 "CONTRACT_SIGNING_P12", "CONTRACT_SIGNING_PASSWORD", "CONTRACT_SIGNING_ORGANIZATION"):
        if os.environ.get(name):
            found[name] = os.environ[name]
    for name in ("SMTP_PORT", "MAIL_SINK_PORT", "MAIL_DIGEST_HOUR"):
        if os.environ.get(name):
            found[name] = int(os.environ[name])
    if os.environ.get("API_RATE_LIMIT"):
        found["API_RATE_LIMIT"] = os.environ["API_RATE_LIMIT"]
    if os.environ.get("API_CORS_ORIGINS"):
        found["API_CORS_ORIGINS"] = os.environ["API_CORS_ORIGINS"].replace(",", " ").split()
    return found
