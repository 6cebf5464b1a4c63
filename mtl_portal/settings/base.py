"""Settings shared by every environment. Values that differ come from the environment."""

import datetime
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from mtl_portal.env import env_bool, env_date, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first so their templates override the libraries'.
    "accounts",
    "programme",
    "coaching",
    "files",
    "portfolio",
    "assessment",
    "tracking",
    "audit",
    "privacy",
    "handbook",
    "ui",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]

MIDDLEWARE = [
    # The request's id (from nginx's X-Request-ID) on every log line and the response (mtl_portal.logs).
    "mtl_portal.logs.RequestIdMiddleware",
    # /healthz and /readyz, answered before the host check, the HTTPS redirect and sessions.
    "mtl_portal.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "mtl_portal.middleware.CrossOriginHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.context.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mtl_portal.middleware.PortalCSPMiddleware",
    "mtl_portal.middleware.NoStoreForSignedInMiddleware",
    "accounts.sessions.ShortStaffSessionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMfaMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "mtl_portal.urls"
FORM_RENDERER = "ui.renderers.PortalFormRenderer"
WSGI_APPLICATION = "mtl_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "tracking.context_processors.navigation",
            ],
        },
    }
]

# SQLite unless DATABASE_URL says otherwise (PostgreSQL in tests and production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: it pays off for long reports, but PostgreSQL chooses it from cost
    # estimates, and the dashboards' subqueries look costly, so a 1.5-second query spent 1.4 s of it
    # compiling (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# A real cache: allauth's login rate limits count failures in it.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mtl-portal"}}

# --- Sign-in (django-allauth): email login, no open sign-up, invitations only.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "login": "30/m/ip",
}
# Sign-up is closed, so a reset for an unknown address must not invite them to sign up.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[MTL Portal] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MTL Portal"
MFA_FORMS = {
    "authenticate": "accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "accounts.forms.MfaReauthenticateForm",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 14)

# --- Email: console in development; SMTP (or any backend) from the environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MTL Portal <no-reply@mtl-portal.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails sent from tasks, where there is no request.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# The accessibility statement (/handbook/accessibility/): where people report a problem, and the day
# the statement was last reviewed (a provider reviewing it after a change sets the new date).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "accessibility@mtl-portal.localhost")
ACCESSIBILITY_STATEMENT_DATE = env_date("ACCESSIBILITY_STATEMENT_DATE", datetime.date(2026, 12, 5))

# --- Celery: eager (in-process) unless a broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
# A pool process killed in the middle of a task (the out-of-memory killer picks the process using
# the memory, which is the pool process, not the worker) gives its task back to the queue at once,
# rather than Celery acknowledging it as failed and the work being lost. The task is safe to run
# again, and a prepared file's claim knows its own task come back (files.jobs.claim).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A task taken by a worker that dies (killed, out of memory, host lost) is never acknowledged, so
# Redis gives it to another worker once this many seconds have passed since it was taken. Longer
# than any task runs, and longer than PREPARED_FILE_STALE_SECONDS, so the export that worker left
# "running" is stale by then and built again (tests/test_celery_faults.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The DatabaseScheduler copies these into its periodic tasks when beat starts. Each task is safe to
# run twice (coaching.reminders), so a restart or an extra run never sends a reminder again.
CELERY_BEAT_SCHEDULE = {
    # Every participant's at-risk reasons judged for the new day (tracking.stored_risks).
    "tracking-refresh-risks": {"task": "tracking.tasks.refresh_risks", "schedule": crontab(hour=0, minute=1)},
    "coaching-session-reminders": {
        "task": "coaching.tasks.send_session_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "coaching-action-step-reminders": {
        "task": "coaching.tasks.send_action_step_reminders",
        "schedule": crontab(hour=7, minute=15),
    },
    "coaching-draft-waiting-reminders": {
        "task": "coaching.tasks.send_draft_waiting_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Results of tasks whose release date has come (assessment.services.marking.results_release).
    "assessment-release-results": {
        "task": "assessment.tasks.release_due_results",
        "schedule": crontab(hour=6, minute=0),
    },
    # Portfolio exports past their PORTFOLIO_EXPORT_VALID_DAYS: files deleted (portfolio.services.exports).
    "portfolio-expire-exports": {"task": "portfolio.tasks.expire_exports", "schedule": crontab(hour=3, minute=0)},
    # Subject access exports past their SUBJECT_ACCESS_VALID_DAYS: files deleted (privacy.services).
    "privacy-expire-subject-access": {
        "task": "privacy.tasks.expire_subject_access",
        "schedule": crontab(hour=3, minute=10),
    },
    # Former participants past the retention period (ProgrammeSettings.retention_years): erased (privacy.services).
    "privacy-erase-due": {"task": "privacy.tasks.erase_due", "schedule": crontab(hour=2, minute=30)},
    # Programme leaders told of tasks whose marks-due date passed with work unmarked (assessment.notices).
    "assessment-marks-overdue": {
        "task": "assessment.tasks.remind_marks_overdue",
        "schedule": crontab(hour=8, minute=0),
    },
    # Heads' and leaders' tables written in the background, past TRACKING_EXPORT_VALID_DAYS: files deleted.
    "tracking-expire-exports": {"task": "tracking.tasks.expire_exports", "schedule": crontab(hour=3, minute=15)},
    # Heads and programme leaders: last week's digest, every Monday (tracking.digest).
    "tracking-weekly-digest": {
        "task": "tracking.tasks.send_digests",
        "schedule": crontab(day_of_week=1, hour=7, minute=45),
    },
}
# How long a participant's portfolio export can be downloaded before its file is deleted.
PORTFOLIO_EXPORT_VALID_DAYS = env_int("PORTFOLIO_EXPORT_VALID_DAYS", 7)
# The export's PDF of a long portfolio is laid out in this many processes side by side, each a run
# of the records (portfolio.export.pdf); one that is shorter than PORTFOLIO_EXPORT_PDF_SPLIT_FROM
# (its weight: about the characters of its text, an image counting 500) in one. The cover and
# contents take one more process, once the records' pages are known. A
# PDF whose processes have not all finished PORTFOLIO_EXPORT_PDF_TIMEOUT seconds after they started
# fails the build.
PORTFOLIO_EXPORT_PDF_PROCESSES = env_int("PORTFOLIO_EXPORT_PDF_PROCESSES", 2)
PORTFOLIO_EXPORT_PDF_SPLIT_FROM = env_int("PORTFOLIO_EXPORT_PDF_SPLIT_FROM", 100_000)
PORTFOLIO_EXPORT_PDF_TIMEOUT = env_int("PORTFOLIO_EXPORT_PDF_TIMEOUT", 600)
# A head's or leader's table of more rows than this is written by a Celery task, not in the request,
# and can be downloaded for this many days (tracking.export_jobs).
TRACKING_EXPORT_DIRECT_MAX_ROWS = 500
TRACKING_EXPORT_VALID_DAYS = 7
# How long a subject access export can be downloaded by programme leaders before it is deleted.
SUBJECT_ACCESS_VALID_DAYS = env_int("SUBJECT_ACCESS_VALID_DAYS", 7)
# A prepared file (a portfolio export, a long list) still "running" this long after it started was
# left by a worker that stopped; the task, given again by the broker, writes it again (files.jobs).
PREPARED_FILE_STALE_SECONDS = 15 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_build"
STATICFILES_DIRS = [
    BASE_DIR / "assets" / "build",
    BASE_DIR / "assets" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_DIR", "media")
# Uploaded evidence lives outside MEDIA_ROOT, with no URL: only access-checked views serve it.
PRIVATE_MEDIA_ROOT = BASE_DIR / env_str("PRIVATE_MEDIA_DIR", "private_media")

# --- Private files (files/): the kinds of upload kept, judged by content and structure, never by
# name. Keyed by the extension a file is stored and downloaded with; each kind's group decides
# which forms take it; "inline" kinds may be shown or played by the browser, the rest are always
# downloaded. A kind without its own max_bytes has PRIVATE_FILE_MAX_BYTES.
PRIVATE_FILE_MAX_BYTES = 10 * 1024 * 1024
PRIVATE_FILE_MEDIA_MAX_BYTES = 50 * 1024 * 1024
PRIVATE_FILE_KINDS = {
    "pdf": {"label": "PDF", "content_type": "application/pdf", "group": "document"},
    "docx": {
        "label": "Word (DOCX)",
        "content_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "group": "document",
    },
    "xlsx": {
        "label": "Excel (XLSX)",
        "content_type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "group": "document",
    },
    "pptx": {
        "label": "PowerPoint (PPTX)",
        "content_type": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "group": "document",
    },
    "odt": {
        "label": "OpenDocument text (ODT)",
        "content_type": "application/vnd.oasis.opendocument.text",
        "group": "document",
    },
    "png": {"label": "PNG", "content_type": "image/png", "group": "image"},
    "jpg": {"label": "JPEG", "content_type": "image/jpeg", "group": "image"},
    "mp3": {
        "label": "MP3",
        "content_type": "audio/mpeg",
        "group": "audio",
        "max_bytes": PRIVATE_FILE_MEDIA_MAX_BYTES,
        "inline": True,
    },
    "m4a": {
        "label": "M4A",
        "content_type": "audio/mp4",
        "group": "audio",
        "max_bytes": PRIVATE_FILE_MEDIA_MAX_BYTES,
        "inline": True,
    },
    "mp4": {
        "label": "MP4",
        "content_type": "video/mp4",
        "group": "video",
        "max_bytes": PRIVATE_FILE_MEDIA_MAX_BYTES,
        "inline": True,
    },
}
# An image is decoded to check it, so its size in pixels is bounded (40 million: a large phone photo).
PRIVATE_FILE_MAX_IMAGE_PIXELS = 40_000_000
# Office documents are zips. From the zip's directory alone, without expanding anything, a file
# is refused when it has too many entries, expands past a total size, or expands too many times.
PRIVATE_FILE_ZIP_MAX_ENTRIES = 5_000
PRIVATE_FILE_ZIP_MAX_BYTES = 200 * 1024 * 1024
PRIVATE_FILE_ZIP_MAX_RATIO = 200
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail: the CMS for the public site and the handbook, at /cms/.
WAGTAIL_SITE_NAME = "MTL Portal"
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# No avatars from gravatar.com: they would tell a third party who uses the CMS.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "txt"]

SESSION_COOKIE_HTTPONLY = True
# Everyone but tutors, programme leaders and examiners (accounts/sessions.py) stays signed in this long.
SESSION_COOKIE_AGE = env_int("SESSION_DAYS", 14) * 24 * 60 * 60
STAFF_SESSION_IDLE_SECONDS = 8 * 60 * 60
STAFF_SESSION_RECORD_SECONDS = 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# A page the portal opens in another window, or that opens the portal, gets no handle on it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No other site may load the portal's pages, files or static assets as a resource of its own.
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Browser features, each off unless the portal uses it (mtl_portal.middleware.CrossOriginHeadersMiddleware).
# Fullscreen stays on for the portal itself: evidence videos play inline and offer it. Nothing signs
# in with a passkey yet (TOTP only): allow publickey-credentials-get for "self" if that changes.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": ["self"],
    "gamepad": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "local-fonts": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

# Content-Security-Policy (django-csp): the portal's own files only, no inline script except one
# carrying the request's nonce ({{ request.csp_nonce }}), never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    }
}
# Wagtail's and Django's admin pages use inline scripts and styles, and Wagtail previews a page in
# a frame of its own: a looser policy there, for signed-in programme leaders only.
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ("/cms/", "/django-admin/")
CONTENT_SECURITY_POLICY_ADMIN = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
}

# Every line carries the id of the request that wrote it ("-" outside a request); production writes
# JSON lines instead (mtl_portal.logs.JsonFormatter).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mtl_portal.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "mtl_portal.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pypdf warns of every oddity it repairs in a PDF; an upload it cannot read is refused, not logged.
    "loggers": {"pypdf": {"level": "ERROR"}},
}
