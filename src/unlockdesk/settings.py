"""One settings module, configured by environment variables only.

Unset: the embedded default (SQLite, file-system Celery broker, in-memory channel layer,
encrypted local files, all under UNLOCKDESK_DATA_DIR). DATABASE_URL / REDIS_URL /
CELERY_BROKER_URL switch to PostgreSQL, Redis and a real broker.
"""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

from unlockdesk.brand import brand
from unlockdesk.keys import data_dir, load_or_create

env = os.environ.get


def _flag(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()
BRAND = brand()

DEBUG = _flag("UNLOCKDESK_DEBUG")
DEMO_MODE = _flag("UNLOCKDESK_DEMO")
SECRET_KEY = load_or_create("django-secret", env="UNLOCKDESK_SECRET_KEY", nbytes=48)
UNLOCKDESK_ENCRYPTION_KEYS = [
    key.strip()
    for key in load_or_create("encryption", env="UNLOCKDESK_ENCRYPTION_KEYS").split(",")
    if key.strip()
]
UNLOCKDESK_HASH_KEY = load_or_create("hash", env="UNLOCKDESK_HASH_KEY")
UNLOCKDESK_PRIVATE_FILES = str(DATA_DIR / "private")

ALLOWED_HOSTS = [h.strip() for h in env("UNLOCKDESK_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env("UNLOCKDESK_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
CSRF_FAILURE_VIEW = "unlockdesk.web.views.errors.csrf_failure"

# Links in mail, SMS and chat point here. Unset, it is the address `unlockdesk demo` serves on
# (PORT), so a demo on another port does not send links to a server that is not there.
SITE_URL = env("UNLOCKDESK_SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}").rstrip("/")

# Our apps come first: their translations and templates take precedence over Django's own.
INSTALLED_APPS = [
    "unlockdesk.staff",
    "unlockdesk.accounts",
    "unlockdesk.safety",
    "unlockdesk.tickets",
    "unlockdesk.intake",
    "unlockdesk.intake.mail",
    "unlockdesk.intake.outgoing",
    "unlockdesk.chat",
    "unlockdesk.unlock",
    "unlockdesk.verification",
    "unlockdesk.helpcenter",
    "unlockdesk.records",
    "unlockdesk.reports",
    "unlockdesk.web",
    "unlockdesk.api",
    "ninja",  # serves Swagger UI's files from our own static folder (no CDN) for /api/docs
    "unlockdesk.staff.admin_site.StaffAdminConfig",  # django.contrib.admin behind two factors
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_otp", "django_otp.plugins.otp_totp", "axes",  # staff two-factor and login throttling
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "unlockdesk.web.sessions.SlidingSessionMiddleware",  # sliding expiry, saved once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "unlockdesk.urls"
ASGI_APPLICATION = "unlockdesk.asgi.application"
WSGI_APPLICATION = "unlockdesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "unlockdesk.web.context.brand_context",
            ],
        },
    }
]

# --- data -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'unlockdesk.sqlite3'}"),
        conn_max_age=int(env("UNLOCKDESK_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # A 32 MB page cache per connection (SQLite's default is 2 MB) keeps the hot tables'
        # indexes in memory as they grow: bench/chat.py at 500 msg/s held in 3 of 4 runs with it,
        # 1 of 3 without.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32000;",
    }
    # Tests get a file, not Django's shared-cache in-memory database: there a table lock held by
    # the live server's thread fails the test's query at once ("database table is locked")
    # instead of waiting out the busy timeout, so browser tests flaked. A file in WAL mode
    # locks as production does. One file per run, so two runs in one checkout never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
if env("UNLOCKDESK_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("UNLOCKDESK_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The inbox's covering indexes (INCLUDE columns) are a PostgreSQL speed-up; SQLite builds them
# without the included columns, which is what it should do, so its warning is only noise.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "staff.Agent"
if env("PYTEST_VERSION"):
    # Under pytest (which sets PYTEST_VERSION; the servers a test starts inherit it) passwords
    # are hashed with MD5: the real hasher's million PBKDF2 rounds cost 0.3 s for every agent
    # made and every sign-in (tests/staff and tests/web: 108 s, now 47 s). Tests only.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]



def worker_redis_database(url: str, worker: str) -> str:
    """Parallel test workers (pytest-xdist's gw0, gw1, ...) share one Redis server; each takes a
    database of its own (8 + its number), so one worker's channel groups ("ticket-1" exists in
    every worker's test database) and cache never reach another's."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{8 + int(worker.removeprefix('gw') or 0)}"))


REDIS_URL = env("REDIS_URL", "")
if REDIS_URL and env("PYTEST_XDIST_WORKER"):
    # Written back, so that the servers and clients the tests start use the same database.
    REDIS_URL = os.environ["REDIS_URL"] = worker_redis_database(REDIS_URL, env("PYTEST_XDIST_WORKER", ""))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: a group send is one PUBLISH, and each process hands it to its own sockets.
            # The list-based layer (channels_redis.core) pushed one entry per member socket and
            # popped them one by one; two processes stored fewer chat messages than one
            # (bench/chat.py). Nothing is buffered for a socket that is not reading: live
            # frames carry sequence numbers, and a socket reads a gap from the database.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # Pub/sub names are server-wide, not per Redis database: the prefix keeps desks
            # (and parallel test workers) that share a server apart. redis-py 8 reads with a
            # 5 s socket timeout by default; the layer's reader waits longer (issue #422).
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                       "prefix": f"{env('UNLOCKDESK_CACHE_PREFIX', 'unlockdesk')}:"
                                 f"{urlsplit(REDIS_URL).path.strip('/') or '0'}:"},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("UNLOCKDESK_CACHE_PREFIX", "unlockdesk"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "unlockdesk.channel_layer.SweepingInMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "unlockdesk_cache",
        }
    }

STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "unlockdesk.storage.EncryptedFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Files on S3-compatible object storage instead of the local disk, still encrypted by us first.
UNLOCKDESK_S3_BUCKET = env("UNLOCKDESK_S3_BUCKET", "")
if UNLOCKDESK_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "unlockdesk.storage.EncryptedS3Storage",
        "OPTIONS": {
            "bucket_name": UNLOCKDESK_S3_BUCKET,
            "endpoint_url": env("UNLOCKDESK_S3_ENDPOINT_URL") or None,  # None: AWS itself
            "region_name": env("UNLOCKDESK_S3_REGION") or None,
            "access_key": env("UNLOCKDESK_S3_ACCESS_KEY_ID") or None,  # None: boto3's own lookup
            "secret_key": env("UNLOCKDESK_S3_SECRET_ACCESS_KEY") or None,
            "location": env("UNLOCKDESK_S3_PREFIX", ""),
            "addressing_style": env("UNLOCKDESK_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
        },
    }
STATIC_URL = "/static/"
STATIC_ROOT = str(DATA_DIR / "static")
Path(STATIC_ROOT).mkdir(exist_ok=True)

# --- task queue ---------------------------------------------------------------------------
_broker_dir = DATA_DIR / "broker"
# The host part means nothing to the filesystem transport; without one kombu warns on stderr.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or (REDIS_URL or "filesystem://localhost/")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # else kombu writes ./control in the cwd
        "store_processed": False,
        # An idle worker looks for new tasks this often (kombu's default is every second): an
        # acknowledgement or a reply's email leaves within a tenth of a second of its commit.
        # Listing one small folder ten times a second costs nothing measurable.
        "polling_interval": 0.1,
    }
CELERY_TASK_ALWAYS_EAGER = _flag("UNLOCKDESK_TASKS_EAGER")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
# Celery's Django fixup closes every database connection around every task unless this is
# set; the worker keeps its connection by Django's age rule instead (celery_app.keep_connections).
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_BEAT_SCHEDULE = {
    "sla-escalation": {"task": "unlockdesk.tickets.tasks.escalate_sla", "schedule": 60.0},
    "route-waiting": {"task": "unlockdesk.tickets.tasks.route_waiting", "schedule": 60.0},
    "close-resolved": {"task": "unlockdesk.tickets.tasks.close_resolved", "schedule": 3600.0},
    "resolve-idle": {"task": "unlockdesk.tickets.tasks.resolve_idle", "schedule": 3600.0},
    "redeliver-overdue": {"task": "unlockdesk.tickets.tasks.redeliver_overdue", "schedule": 300.0},
    "escalate-missed-callbacks": {"task": "unlockdesk.tickets.tasks.escalate_missed_callbacks",
                                  "schedule": 60.0},
    "lift-expired-holds": {"task": "unlockdesk.accounts.tasks.lift_expired_holds", "schedule": 60.0},
    "purge-unlock-evidence": {"task": "unlockdesk.unlock.tasks.purge_expired_evidence", "schedule": 3600.0},
    "purge-idempotency-records": {"task": "unlockdesk.api.tasks.purge_idempotency_records",
                                  "schedule": 3600.0},
    "expire-records-exports": {"task": "unlockdesk.records.tasks.expire_records_exports",
                               "schedule": 3600.0},
    "redeliver-overdue-webhooks": {
        "task": "unlockdesk.intake.outgoing.tasks.redeliver_overdue_webhooks", "schedule": 300.0},
    "refetch-overdue-files": {"task": "unlockdesk.tickets.tasks.refetch_overdue_files", "schedule": 300.0},
}

# --- people and sessions ------------------------------------------------------------------
LOGIN_URL = "console:login"
LOGIN_REDIRECT_URL = "console:inbox"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
SESSION_COOKIE_AGE = int(env("UNLOCKDESK_SESSION_SECONDS", str(30 * 60)))
# Idle sessions end after SESSION_COOKIE_AGE; the expiry slides with use, renewed at most once
# per UNLOCKDESK_SESSION_REFRESH_SECONDS (unlockdesk.web.sessions), not written on every request.
SESSION_SAVE_EVERY_REQUEST = False
UNLOCKDESK_SESSION_REFRESH_SECONDS = int(env("UNLOCKDESK_SESSION_REFRESH_SECONDS", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = _flag("UNLOCKDESK_SECURE_COOKIES", default=not DEBUG and not DEMO_MODE)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Browsers remember to use HTTPS only (sent on HTTPS responses, outside the demo and debug).
SECURE_HSTS_SECONDS = int(env("UNLOCKDESK_HSTS_SECONDS", "0" if DEBUG or DEMO_MODE else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("UNLOCKDESK_HSTS_INCLUDE_SUBDOMAINS")
# Proxies (IPs or CIDRs) whose X-Forwarded-For/-Proto are believed; none by default, so the
# connecting peer is the client (unlockdesk.proxies; `unlockdesk serve` passes it to uvicorn).
UNLOCKDESK_TRUSTED_PROXIES = [
    p.strip() for p in env("UNLOCKDESK_TRUSTED_PROXIES", "").split(",") if p.strip()
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- console hardening (unlockdesk.staff, unlockdesk.safety) -----------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # throttles the password step; needs `request`
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("UNLOCKDESK_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(env("UNLOCKDESK_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "unlockdesk.staff.views.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "unlockdesk.proxies.client_ip"  # never X-Forwarded-For by itself
OTP_TOTP_ISSUER = f"{BRAND.name_en} support desk"
OTP_TOTP_THROTTLE_FACTOR = 1
# No inline script anywhere; inline style attributes remain in a few templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
UNLOCKDESK_VERIFY_PER_MINUTE = int(env("UNLOCKDESK_VERIFY_PER_MINUTE", "30"))

# --- language -------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
USE_I18N = True
TIME_ZONE = env("UNLOCKDESK_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- mail and SMS ---------------------------------------------------------------------------
EMAIL_BACKEND = env(
    "UNLOCKDESK_EMAIL_BACKEND",
    "unlockdesk.intake.outbox.OutboxEmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("UNLOCKDESK_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(env("UNLOCKDESK_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = env("UNLOCKDESK_FROM_EMAIL", BRAND.support_email)
# SMS: the demo outbox in the demo; Twilio when its account is set; otherwise off (empty), and
# phone sign-in, phone freeze and SMS replies say so instead of pretending to send.
UNLOCKDESK_TWILIO_ACCOUNT_SID = env("UNLOCKDESK_TWILIO_ACCOUNT_SID", "")
UNLOCKDESK_TWILIO_AUTH_TOKEN = env("UNLOCKDESK_TWILIO_AUTH_TOKEN", "")
UNLOCKDESK_TWILIO_FROM = env("UNLOCKDESK_TWILIO_FROM", "")
UNLOCKDESK_TWILIO_MESSAGING_SERVICE_SID = env("UNLOCKDESK_TWILIO_MESSAGING_SERVICE_SID", "")
UNLOCKDESK_TWILIO_API_URL = env("UNLOCKDESK_TWILIO_API_URL", "")  # empty: Twilio's own host
UNLOCKDESK_TWILIO_STATUS_CALLBACK = env("UNLOCKDESK_TWILIO_STATUS_CALLBACK", "")
# Voice (#17): the desk number calls come from (click-to-call); empty: UNLOCKDESK_TWILIO_FROM.
UNLOCKDESK_TWILIO_VOICE_FROM = env("UNLOCKDESK_TWILIO_VOICE_FROM", "")
# Alibaba Cloud SMS: templates per purpose, e.g. "code=SMS_1,reply=SMS_2,status=SMS_3".
UNLOCKDESK_ALIYUN_ACCESS_KEY_ID = env("UNLOCKDESK_ALIYUN_ACCESS_KEY_ID", "")
UNLOCKDESK_ALIYUN_ACCESS_KEY_SECRET = env("UNLOCKDESK_ALIYUN_ACCESS_KEY_SECRET", "")
UNLOCKDESK_ALIYUN_SMS_SIGN_NAME = env("UNLOCKDESK_ALIYUN_SMS_SIGN_NAME", "")
UNLOCKDESK_ALIYUN_SMS_TEMPLATES = env("UNLOCKDESK_ALIYUN_SMS_TEMPLATES", "")
UNLOCKDESK_ALIYUN_SMS_ENDPOINT = env("UNLOCKDESK_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
UNLOCKDESK_SMS_BACKEND = env(
    "UNLOCKDESK_SMS_BACKEND",
    "unlockdesk.intake.outbox.OutboxSmsBackend" if DEMO_MODE
    else "unlockdesk.intake.twilio_sms.TwilioSmsBackend" if UNLOCKDESK_TWILIO_ACCOUNT_SID
    else "unlockdesk.intake.aliyun_sms.AliyunSmsBackend" if UNLOCKDESK_ALIYUN_ACCESS_KEY_ID
    else "",
)

# --- the exchange core ------------------------------------------------------------------------
UNLOCKDESK_GATEWAY = env("UNLOCKDESK_GATEWAY", "unlockdesk.accounts.gateway.DatabaseGateway")
UNLOCKDESK_GATEWAY_URL = env("UNLOCKDESK_GATEWAY_URL", "")
UNLOCKDESK_GATEWAY_KEY_ID = env("UNLOCKDESK_GATEWAY_KEY_ID", "unlockdesk")
UNLOCKDESK_GATEWAY_SECRET = env("UNLOCKDESK_GATEWAY_SECRET", "")

# --- social and voice providers (webhook secrets and API tokens) ---------------------------
UNLOCKDESK_TELEGRAM_BOT_TOKEN = env("UNLOCKDESK_TELEGRAM_BOT_TOKEN", "")
UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET = env("UNLOCKDESK_TELEGRAM_WEBHOOK_SECRET", "")
UNLOCKDESK_FACEBOOK_APP_SECRET = env("UNLOCKDESK_FACEBOOK_APP_SECRET", "")
UNLOCKDESK_FACEBOOK_VERIFY_TOKEN = env("UNLOCKDESK_FACEBOOK_VERIFY_TOKEN", "")
UNLOCKDESK_FACEBOOK_PAGE_TOKEN = env("UNLOCKDESK_FACEBOOK_PAGE_TOKEN", "")
UNLOCKDESK_X_CONSUMER_SECRET = env("UNLOCKDESK_X_CONSUMER_SECRET", "")
UNLOCKDESK_X_BEARER_TOKEN = env("UNLOCKDESK_X_BEARER_TOKEN", "")
UNLOCKDESK_VOICE_WEBHOOK_SECRET = env("UNLOCKDESK_VOICE_WEBHOOK_SECRET", "")
# Pictures and files on social channels (issue #17): the providers' API base URLs (a local fake
# in tests) and the hosts a media URL from a webhook may point at (nothing else is fetched).
UNLOCKDESK_TELEGRAM_API_URL = env("UNLOCKDESK_TELEGRAM_API_URL", "https://api.telegram.org")
UNLOCKDESK_FACEBOOK_GRAPH_URL = env("UNLOCKDESK_FACEBOOK_GRAPH_URL", "https://graph.facebook.com/v19.0")
UNLOCKDESK_FACEBOOK_MEDIA_HOSTS = env("UNLOCKDESK_FACEBOOK_MEDIA_HOSTS", "fbcdn.net,fbsbx.com").split(",")
UNLOCKDESK_X_API_URL = env("UNLOCKDESK_X_API_URL", "https://api.x.com")
UNLOCKDESK_X_MEDIA_HOSTS = env("UNLOCKDESK_X_MEDIA_HOSTS", "ton.twitter.com,twimg.com").split(",")

# --- the desk -------------------------------------------------------------------------------
UNLOCKDESK_OTP_TTL_SECONDS = int(env("UNLOCKDESK_OTP_TTL_SECONDS", "600"))
UNLOCKDESK_OTP_MAX_ATTEMPTS = int(env("UNLOCKDESK_OTP_MAX_ATTEMPTS", "5"))
UNLOCKDESK_OTP_SENDS_PER_HOUR = int(env("UNLOCKDESK_OTP_SENDS_PER_HOUR", "5"))  # per address
# Sign-in codes per client IP per hour (high enough for a mobile carrier's shared address) and
# for the whole desk per minute: SMS pumping costs money. The IVR freeze has its own quota.
UNLOCKDESK_OTP_SENDS_PER_IP = int(env("UNLOCKDESK_OTP_SENDS_PER_IP", "20"))
UNLOCKDESK_OTP_SENDS_PER_MINUTE = int(env("UNLOCKDESK_OTP_SENDS_PER_MINUTE", "60"))
UNLOCKDESK_FREEZE_CODES_PER_HOUR = int(env("UNLOCKDESK_FREEZE_CODES_PER_HOUR", "5"))
UNLOCKDESK_ATTACHMENT_MAX_BYTES = int(env("UNLOCKDESK_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
UNLOCKDESK_INBOX_PAGE_SIZE = 25
# Bulk actions on the inbox: up to this many tickets run in the request; more run on the task
# queue, this many per batch (tickets.services.bulk).
UNLOCKDESK_BULK_INLINE_LIMIT = int(env("UNLOCKDESK_BULK_INLINE_LIMIT", "200"))
UNLOCKDESK_BULK_BATCH = int(env("UNLOCKDESK_BULK_BATCH", "500"))
# A ticket page renders the newest messages and timeline entries; earlier ones load on request.
UNLOCKDESK_TICKET_PAGE_MESSAGES = int(env("UNLOCKDESK_TICKET_PAGE_MESSAGES", "25"))
UNLOCKDESK_TICKET_PAGE_EVENTS = int(env("UNLOCKDESK_TICKET_PAGE_EVENTS", "30"))

# --- unlock applications (unlockdesk.unlock, unlockdesk.verification) ------------------------
# A second reviewer must confirm when the balance (USD) or the risk score reaches these.
UNLOCKDESK_UNLOCK_LARGE_BALANCE_USD = int(env("UNLOCKDESK_UNLOCK_LARGE_BALANCE_USD", "50000"))
UNLOCKDESK_UNLOCK_RISK_THRESHOLD = int(env("UNLOCKDESK_UNLOCK_RISK_THRESHOLD", "50"))
# The handheld note's date may be this many days off the upload day (customer's time zone);
# a photo whose EXIF capture time is further than this from its upload is flagged.
UNLOCKDESK_NOTE_DATE_GRACE_DAYS = int(env("UNLOCKDESK_NOTE_DATE_GRACE_DAYS", "1"))
UNLOCKDESK_EXIF_MAX_AGE_HOURS = int(env("UNLOCKDESK_EXIF_MAX_AGE_HOURS", "48"))
UNLOCKDESK_EVIDENCE_MAX_BYTES = int(env("UNLOCKDESK_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
UNLOCKDESK_EVIDENCE_MAX_PIXELS = int(env("UNLOCKDESK_EVIDENCE_MAX_PIXELS", str(40_000_000)))
# Evidence files are deleted this many days after the ticket is closed.
UNLOCKDESK_EVIDENCE_RETENTION_DAYS = int(env("UNLOCKDESK_EVIDENCE_RETENTION_DAYS", "90"))
# A resolved ticket the customer has not answered closes after this many days (the retention
# clock above starts then; a reply before that reopens it).
UNLOCKDESK_AUTO_CLOSE_DAYS = int(env("UNLOCKDESK_AUTO_CLOSE_DAYS", "7"))
# A ticket waiting on the customer with no activity for this many days is resolved, with a
# notice saying how to come back (0: never).
UNLOCKDESK_AUTO_RESOLVE_DAYS = int(env("UNLOCKDESK_AUTO_RESOLVE_DAYS", "14"))
# How long the customer may answer the satisfaction survey sent when a ticket is resolved.
UNLOCKDESK_CSAT_DAYS = int(env("UNLOCKDESK_CSAT_DAYS", "14"))
# How often the console's notification bell polls (the live socket, when connected, is instant).
UNLOCKDESK_NOTIFICATION_POLL_SECONDS = float(env("UNLOCKDESK_NOTIFICATION_POLL_SECONDS", "30"))
# A draft nobody has touched for this many days is abandoned: its ID photos are not kept for a
# case that never reached a reviewer. The customer starts again.
UNLOCKDESK_DRAFT_RETENTION_DAYS = int(env("UNLOCKDESK_DRAFT_RETENTION_DAYS", "30"))
# Phone callbacks (#17): minutes from the request to the call we promise, by the ticket's
# priority (P1..P4); an emergency-freeze callback is due first of all.
UNLOCKDESK_CALLBACK_DUE_MINUTES = [int(m) for m in env("UNLOCKDESK_CALLBACK_DUE_MINUTES",
                                                       "15,30,60,240").split(",")]
UNLOCKDESK_CALLBACK_FREEZE_MINUTES = int(env("UNLOCKDESK_CALLBACK_FREEZE_MINUTES", "5"))

# --- email channel (unlockdesk.intake.mail) -------------------------------------------------
UNLOCKDESK_EMAIL_MAX_BYTES = int(env("UNLOCKDESK_EMAIL_MAX_BYTES", str(30 * 1024 * 1024)))
UNLOCKDESK_ACKS_PER_HOUR = int(env("UNLOCKDESK_ACKS_PER_HOUR", "5"))  # per contact, any channel
UNLOCKDESK_INBOUND_DOMAINS = [
    d.strip().lower() for d in env("UNLOCKDESK_INBOUND_DOMAINS", ",".join(BRAND.official_domains)).split(",")
    if d.strip()
]
# imap[s]://user:password@host[:port]/MAILBOX[?processed=FOLDER], comma-separated
UNLOCKDESK_IMAP_MAILBOXES = [m.strip() for m in env("UNLOCKDESK_IMAP_MAILBOXES", "").split(",") if m.strip()]
ANYMAIL = {
    "MAILGUN_WEBHOOK_SIGNING_KEY": env("UNLOCKDESK_MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    "WEBHOOK_SECRET": env("UNLOCKDESK_EMAIL_WEBHOOK_SECRET", ""),  # user:password basic auth
}
# A provider's signed timestamp (Mailgun's) further than this from now is refused as a replay.
UNLOCKDESK_WEBHOOK_MAX_AGE_SECONDS = int(env("UNLOCKDESK_WEBHOOK_MAX_AGE_SECONDS", "900"))

# --- uploads and request bodies (unlockdesk.request_limits, unlockdesk.safety.files) ---------
# The largest legitimate request is a mail provider's JSON post of the largest email, its
# attachments in base64 (4/3 of UNLOCKDESK_EMAIL_MAX_BYTES); anything larger gets a 413 while it
# streams. The same bound holds for a body read into memory (JSON webhooks, form fields).
UNLOCKDESK_MAX_REQUEST_BYTES = int(env("UNLOCKDESK_MAX_REQUEST_BYTES",
                                       str(UNLOCKDESK_EMAIL_MAX_BYTES * 4 // 3 + 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = UNLOCKDESK_MAX_REQUEST_BYTES
# A file past this size is dropped while it streams (the view then refuses it by its size);
# files above FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file, not to memory.
UNLOCKDESK_UPLOAD_FILE_MAX_BYTES = max(UNLOCKDESK_ATTACHMENT_MAX_BYTES, UNLOCKDESK_EVIDENCE_MAX_BYTES)
FILE_UPLOAD_MAX_MEMORY_SIZE = int(env("UNLOCKDESK_UPLOAD_MEMORY_BYTES", str(2 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "unlockdesk.request_limits.FileSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- live chat (unlockdesk.chat) -----------------------------------------------------------
# HMAC-SHA256 key shared with the exchange's site: it signs a signed-in visitor's UID.
UNLOCKDESK_CHAT_IDENTITY_SECRET = env("UNLOCKDESK_CHAT_IDENTITY_SECRET", "")
# Origins (https://www.example.com) whose pages may embed the widget; other sockets keep
# the allowed-hosts Origin check.
UNLOCKDESK_CHAT_EMBED_ORIGINS = [
    o.strip() for o in env("UNLOCKDESK_CHAT_EMBED_ORIGINS", "").split(",") if o.strip()
]
UNLOCKDESK_CHAT_RATE_PER_SECOND = float(env("UNLOCKDESK_CHAT_RATE_PER_SECOND", "5"))
UNLOCKDESK_CHAT_BURST = int(env("UNLOCKDESK_CHAT_BURST", "20"))
UNLOCKDESK_CHAT_MAX_FRAME_BYTES = int(env("UNLOCKDESK_CHAT_MAX_FRAME_BYTES", "16384"))
# Chat messages one server process may have waiting to be stored; beyond it senders are told
# "busy, retry after 1 s" (their widget resends with the same client id), so the accepted ones
# stay fast under overload.
UNLOCKDESK_CHAT_MAX_PENDING = int(env("UNLOCKDESK_CHAT_MAX_PENDING", "100"))
# ... and none that would wait longer than this at the rate this process stores (stores
# finished per second of busy time, the last 5 s: chat.limits.Gate).
UNLOCKDESK_CHAT_MAX_WAIT_SECONDS = float(env("UNLOCKDESK_CHAT_MAX_WAIT_SECONDS", "0.5"))
# Customers' chat messages stored in one transaction at most (group commit, chat.group_commit):
# under load, whatever arrived while the last batch was being stored; 1 stores each alone.
UNLOCKDESK_CHAT_BATCH = int(env("UNLOCKDESK_CHAT_BATCH", "20"))

# --- API v1 and outgoing webhooks (unlockdesk.api, unlockdesk.intake.outgoing) ---------------
UNLOCKDESK_API_PER_MINUTE = int(env("UNLOCKDESK_API_PER_MINUTE", "600"))  # per key, unless it says
UNLOCKDESK_IDEMPOTENCY_HOURS = int(env("UNLOCKDESK_IDEMPOTENCY_HOURS", "24"))
UNLOCKDESK_WEBHOOK_TIMEOUT_SECONDS = float(env("UNLOCKDESK_WEBHOOK_TIMEOUT_SECONDS", "10"))
UNLOCKDESK_WEBHOOK_RETRY_SECONDS = int(env("UNLOCKDESK_WEBHOOK_RETRY_SECONDS", "30"))
UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS = int(env("UNLOCKDESK_WEBHOOK_MAX_ATTEMPTS", "8"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("UNLOCKDESK_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every layout step (records exports) at INFO.
    "loggers": {"jieba": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "weasyprint.progress": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# --- Routing and presence (unlockdesk.staff.presence, unlockdesk.tickets.routing) -------------
# A console socket silent this long no longer keeps its agent online (it beats every 25 s).
UNLOCKDESK_PRESENCE_TIMEOUT_SECONDS = int(env("UNLOCKDESK_PRESENCE_TIMEOUT_SECONDS", "90"))
