"""Gunicorn settings for the portal's web process (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be changed from the environment without editing this file. Workers are separate
processes with nothing shared between them but PostgreSQL and Redis, so any number of them, on any
number of hosts, serve the same portal.
"""

import multiprocessing
import os

wsgi_app = "mtl_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two per core plus one, the usual starting point for a process that waits on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request (a PDF export, a large upload checked in full) may take a while; anything past this is
# killed and logged rather than holding the worker for good.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle each worker after a while so a slow leak never grows without bound; the jitter stops
# every worker restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# nginx in front buffers slow clients; only it may set the forwarded headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Django logs each request itself, as JSON with its request id (mtl_portal.logs); gunicorn's own
# access log would only repeat it without the id.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# No control socket (gunicorn 25.1 and later make one in $HOME, which the image's user may not
# write): workers are managed by restarting the container, and a socket is one more way in.
control_socket_disable = True
# Worker heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = os.environ.get(
    "GUNICORN_WORKER_TMP_DIR",
    "/dev/shm" if os.path.isdir("/dev/shm") else None,  # noqa: S108 (gunicorn's advice; only heartbeats)
)
