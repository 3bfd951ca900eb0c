"""gunicorn settings for `make serve` (override any of them with GUNICORN_CMD_ARGS or the environment)."""
import multiprocessing
import os

# Loopback by default: put nginx (or another reverse proxy) in front and set TRUSTED_PROXIES=1.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# The usual 2 x CPU + 1 synchronous workers, capped so a big machine does not exhaust the database's connections.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
# Uploads are up to 20 MB: give slow connections time, but not forever.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (with jitter so they do not all restart together).
max_requests = 2000
max_requests_jitter = 200
# Access and error logs to stdout/stderr, for systemd's journal or the container's log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
# gunicorn 27's control socket is not used here (and cannot be created in read-only folders).
control_socket_disable = True
wsgi_app = "wsgi:app"
