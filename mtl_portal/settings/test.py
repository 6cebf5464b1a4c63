"""Fast, deterministic settings for the test suite. The database and Redis come from the
environment (scripts/test points them at real PostgreSQL and Redis)."""

import os
import uuid

from .base import *  # noqa: F403
from .base import env_str

SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env_str("TEST_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env_str("TEST_EMAIL_FILE_PATH", "")
# Tasks run eagerly in tests, except the worker test, which turns eager off and uses this broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = env_str("TEST_CELERY_BROKER_URL", "")
# The fault test's workers (tests/test_celery_faults.py) get a killed worker's task again within
# seconds rather than an hour, and take over its prepared file (an export) at once.
if env_str("TEST_CELERY_FAST_REDELIVERY", ""):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    PREPARED_FILE_STALE_SECONDS = 1
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
PORTAL_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# A staff session's last-seen time is written once in a test, at sign-in, so no page's query count
# depends on how long the test took.
STAFF_SESSION_RECORD_SECONDS = 60 * 60

# Redis is shared by everyone who runs the suite on this machine (scripts/test picks the database
# with TEST_REDIS_DB), so this run's cache keys carry a prefix of their own, and the tests clear only
# keys with that prefix (tests/run_cache.py), never the whole database: two runs on one Redis
# database leave each other's rate-limit records alone. The prefix is put in the environment so a
# process the tests start (the Celery worker) shares it.
if REDIS_URL:  # noqa: F405
    TEST_CACHE_KEY_PREFIX = env_str("TEST_CACHE_KEY_PREFIX", "") or f"test-{uuid.uuid4().hex[:12]}"
    os.environ["TEST_CACHE_KEY_PREFIX"] = TEST_CACHE_KEY_PREFIX
    CACHES["default"]["KEY_PREFIX"] = TEST_CACHE_KEY_PREFIX  # noqa: F405
