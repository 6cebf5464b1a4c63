"""Production: refuse to start without the secrets and services a live portal needs."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("The environment variable DATABASE_URL must be set in production.")
# Login rate limits count failures in the cache; a per-process cache would let each worker count
# on its own. Celery's broker defaults to the same Redis, so reminders and emails leave the request.
REDIS_URL = env_str("REDIS_URL", required=True)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names in production.")

# Links in emails (invitations, password resets sent by tasks) must point at the live site, never at
# the development default. Without PORTAL_BASE_URL, the first allowed host over HTTPS.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "")
if not PORTAL_BASE_URL:
    host = ALLOWED_HOSTS[0]
    if host.startswith(".") or "*" in host:
        raise ImproperlyConfigured(
            f"Set PORTAL_BASE_URL (e.g. https://portal.example.org): ALLOWED_HOSTS starts with {host!r}."
        )
    PORTAL_BASE_URL = f"https://{host}"
if "127.0.0.1" in PORTAL_BASE_URL or "localhost" in PORTAL_BASE_URL:
    raise ImproperlyConfigured(f"PORTAL_BASE_URL is {PORTAL_BASE_URL!r}; emails would link to this machine.")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Email really goes out in production; the console backend would swallow every invitation.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Compress pages (static files are compressed once by WhiteNoise). CSRF tokens are masked per
# response, so compression does not reveal them (BREACH).
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = [*MIDDLEWARE[:_after_security], "django.middleware.gzip.GZipMiddleware", *MIDDLEWARE[_after_security:]]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# The portal runs behind a reverse proxy (see SECURE_PROXY_SSL_HEADER). Login rate limits count per
# client IP: without this every request would seem to come from the proxy, and ten wrong passwords
# a minute from anyone would lock everyone out.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# One JSON object a line, each with its request's id, for whatever collects the containers' output.
LOGGING = {**LOGGING, "handlers": {"console": {**LOGGING["handlers"]["console"], "formatter": "json"}}}
# Celery's worker and beat log through that handler too, instead of putting their own plain one in.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
