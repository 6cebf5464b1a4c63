"""Fast, deterministic settings for the test suite. The database and Redis come from the
environment (scripts/test points them at real PostgreSQL and Redis)."""

from .base import *  # noqa: F403
from .base import env_str

SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env_str("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env_str("TEST_EMAIL_FILE_PATH", "")
# Tasks run eagerly in tests, except the worker test, which turns eager off and uses this broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env_str("TEST_CELERY_BROKER_URL", "")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
PORTAL_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# A staff session's last-seen time is written once in a test, at sign-in, so no page's query count
# depends on how long the test took.
STAFF_SESSION_RECORD_SECONDS = 60 * 60
