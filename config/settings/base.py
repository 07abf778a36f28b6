"""Settings shared by every environment. Every difference between
environments is an environment variable; `.env.example` lists them all."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from csp.constants import NONE, SELF

from config.cache import redis_cache_config
from config.env import BASE_DIR, env
from config.logs import logging_config, sentry_init
from config.storage_timeouts import s3_client_config

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Required: `local.py` makes a random one under var/, `test.py` a throwaway
# one; production must bring its own (config.secret_key checks it there).
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
SECRET_KEY_STRICT = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (required when DJANGO_DEBUG is off).")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rules.apps.AutodiscoverRulesConfig",
    "django_ratelimit",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]
LOCAL_APPS = ["contest", "judging"]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every response and log line names its request (X-Request-ID).
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.PublicPagesGZipMiddleware",  # public HTML only, outside the next one
    # Staff, judge, guardian and account pages: never stored by any cache.
    "config.middleware.PrivatePagesNoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Organizers must have signed in with a code (STAFF_OTP_REQUIRED).
    "config.two_factor.StaffOTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "config.context_processors.contact",
            ],
            # Tag libraries that belong to no app (the organizers' navigation).
            "libraries": {"navigation": "config.navigation"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the worker write at once: take the write lock when a
    # transaction starts and wait for it, instead of failing with "database is locked".
    # WAL: readers (pages) never wait for a writer (a submission, the worker).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses sign-in while a username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
# The admin's path: move it off the well-known /admin/ in production.
ADMIN_URL = env("DJANGO_ADMIN_URL", default="admin/")
# Pages answered with "Cache-Control: private, no-store" whatever the view
# says (config.middleware.PrivatePagesNoStoreMiddleware): every path under
# these prefixes, and the views of these URL names (a submitter's receipt).
PRIVATE_PATH_PREFIXES = ["/organize/", "/judging/", "/guardian/", "/accounts/", "/teachers/", f"/{ADMIN_URL.strip('/')}/"]
PRIVATE_URL_NAMES = ["contest:entry_receipt", "contest:entry_receipt_resend", "contest:entry_receipt_sheet"]

# Sign-in throttling for staff and judges (django-axes): after
# AXES_FAILURE_LIMIT wrong passwords for one user name from one address,
# that pair is locked for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The same client address as the rate limits (see CLIENT_IP_HEADER).
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
# Optional two-factor sign-in (django-otp, TOTP): a user with a confirmed
# device must type its code; OTP_REQUIRED_FOR_ADMIN makes it compulsory in the admin.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Children's art contest")
OTP_REQUIRED_FOR_ADMIN = env.bool("OTP_REQUIRED_FOR_ADMIN", default=False)
# Organizers (config.auth.requires_otp: staff and superusers) must sign in
# with a code from an authenticator app, set up at /accounts/two-factor/
# (config.two_factor). Off here and in the tests; production turns it on.
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=False)

# Security headers. No inline scripts anywhere (django-csp); inline style
# attributes only (the placeholder colour of a picture).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        # blob: the upload preview shows the chosen photo before it is sent.
        "img-src": [SELF, "data:", "blob:", *env.list("CSP_IMG_SRC", default=[])],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY_DISABLED = [
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    "interest-cohort", "browsing-topics",
]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Judges land here after signing in; organizers land on /organize/ (config.auth.SignInView).
LOGIN_REDIRECT_URL = "judging:home"
LOGOUT_REDIRECT_URL = "contest:home"

# Languages: config/settings/languages.py.
from .languages import *  # noqa: E402,F403
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploads and renditions are never served straight from MEDIA_ROOT: a view
# checks who may see each file (originals and unpublished work stay private).
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# S3 (or any S3-compatible store such as MinIO) when a bucket is named.
# Every object is private: originals, unpublished renditions and winners
# alike; the portal hands out short-lived signed URLs after its own access
# check (`contest.views.images.rendition_serve`), and only the redirect to a
# published winner's image is marked publicly cacheable.
S3_BUCKET = env("S3_BUCKET", default="")

S3_WEB_CLIENT_CONFIG = s3_client_config(
    connect=env.float("S3_CONNECT_TIMEOUT", default=2), read=env.float("S3_READ_TIMEOUT", default=5),
    attempts=env.int("S3_MAX_ATTEMPTS", default=2),
)
S3_WORKER_CLIENT_CONFIG = s3_client_config(
    connect=env.float("S3_WORKER_CONNECT_TIMEOUT", default=5), read=env.float("S3_WORKER_READ_TIMEOUT", default=20),
    attempts=env.int("S3_WORKER_MAX_ATTEMPTS", default=3),
)
S3_SIGNED_URL_SECONDS = env.int("S3_SIGNED_URL_SECONDS", default=300)
# With S3 the browser sends the photo's parts (bytes, S3's minimum is 5 MiB)
# straight to the bucket: contest/direct_uploads.py, CORS in the README.
UPLOAD_DIRECT_S3 = env.bool("UPLOAD_DIRECT_S3", default=bool(S3_BUCKET))
UPLOAD_PART_BYTES = env.int("UPLOAD_PART_BYTES", default=5 * 1024 * 1024)
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default="us-east-1"),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": S3_SIGNED_URL_SECONDS,
            # A browser may keep what a signed URL gave it while the URL is valid, no longer.
            "object_parameters": {"CacheControl": f"private, max-age={S3_SIGNED_URL_SECONDS}"},
            # Nothing is overwritten here; the worker writes its fixed keys
            # through the "renditions" alias below, which overwrites.
            "file_overwrite": False,
            "location": env("S3_LOCATION", default="media"),
            # boto3 waits 60 s by default; a silent endpoint must not hold a
            # parent's upload (or a page) that long: the web's budget is a
            # 2 s connect, a 5 s read and one retry, well under the server's
            # timeout. Workers take S3_WORKER_CLIENT_CONFIG (longer) instead,
            # set when the worker starts (config.storage_timeouts).
            # (With a client_config, django-storages ignores its own
            # addressing_style and signature_version options: they go here.)
            "client_config": S3_WEB_CLIENT_CONFIG,
        },
    }

def overwriting(storage: dict) -> dict:
    """`storage` (a STORAGES entry) set to replace a file of the same name
    instead of adding a suffix: FileSystemStorage's `allow_overwrite`,
    S3Storage's `file_overwrite`."""
    option = "file_overwrite" if "s3" in storage["BACKEND"].lower() else "allow_overwrite"
    return {**storage, "OPTIONS": {**storage.get("OPTIONS", {}), option: True}}


# The same place as "default", written by the rendering worker only: its
# renditions and clean originals have fixed keys, and a second run replaces
# them in one write (no delete first; see contest.renditions._store). Every
# other file (uploads, anything a FileField saves) keeps "default", which
# never overwrites.
STORAGES["renditions"] = overwriting(STORAGES["default"])

# Images on S3 come from the store through signed URLs, and the upload script
# PUTs parts there: the browser must be allowed to (the endpoint's origin).
if S3_BUCKET:
    from urllib.parse import urlsplit

    _endpoint = env("S3_ENDPOINT_URL", default="") or f"https://s3.{env('S3_REGION', default='us-east-1')}.amazonaws.com"
    _origin = "{0.scheme}://{0.netloc}".format(urlsplit(_endpoint))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_origin)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] = [SELF, *([_origin] if UPLOAD_DIRECT_S3 else [])]

# Sessions (production), locks and rate limits: Redis, shared by every web
# process. It fails open (config/cache.py): short timeouts, and a hung Redis
# is a miss (pages rendered, limits let parents through) and a log line.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("redis.RedisCache"):
    CACHES["default"] = redis_cache_config(url=CACHES["default"]["LOCATION"], socket_timeout=CACHE_SOCKET_TIMEOUT)
# Sessions in the database: a submission (its idempotency token and
# receipt) must not depend on Redis being up.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Children's privacy. The base of the absolute links in e-mails:
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# A new entry waits this long for its guardian's confirmation, then it is deleted.
GUARDIAN_CONFIRM_DAYS = env.int("GUARDIAN_CONFIRM_DAYS", default=7)
# How long a link to the guardian's own page works (a new one can be asked for).
GUARDIAN_LINK_DAYS = env.int("GUARDIAN_LINK_DAYS", default=30)
# A rejected entry is deleted this long after the decision.
REJECTED_ENTRY_DAYS = env.int("REJECTED_ENTRY_DAYS", default=30)
# Cached public pages and public images: short, so a guardian's "no" to
# publication reaches every cache soon (the gallery's own cache is cleared at once).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=300)
PUBLIC_IMAGE_CACHE_SECONDS = env.int("PUBLIC_IMAGE_CACHE_SECONDS", default=300)
# Rate limits (django-ratelimit, counted in the default cache: local memory
# here, Redis in production through CACHE_URL). "n/h" = n per hour.
# Submissions count per guardian's e-mail and per browser session; the
# per-address limit is a ceiling high enough for a school or a mobile
# carrier whose families all share one address.
RATELIMIT_SUBMIT_IP = env("RATELIMIT_SUBMIT_IP", default="300/h")
RATELIMIT_SUBMIT_SESSION = env("RATELIMIT_SUBMIT_SESSION", default="20/h")
RATELIMIT_SUBMIT_GUARDIAN = env("RATELIMIT_SUBMIT_GUARDIAN", default="10/h")
RATELIMIT_LINKS_IP = env("RATELIMIT_LINKS_IP", default="10/h")
RATELIMIT_LINKS_GUARDIAN = env("RATELIMIT_LINKS_GUARDIAN", default="5/h")
# The people's choice (contest.services.votes): votes per client address
# (a ceiling for a school's network) and per browser, how long a
# confirmation link works, the fewest seconds between opening the voting
# form and sending it (faster is a script), and the organizers' burst
# report: this many votes from one /24 (/64) network, or for one drawing,
# within this many minutes.
RATELIMIT_VOTE_IP = env("RATELIMIT_VOTE_IP", default="60/h")
RATELIMIT_VOTE_BROWSER = env("RATELIMIT_VOTE_BROWSER", default="10/h")
VOTE_CONFIRM_HOURS = env.int("VOTE_CONFIRM_HOURS", default=48)
# Teachers (contest.services.teachers): the lifetime of the address
# verification link, and the most children in one batch. The caps per
# teacher and for all teachers are each contest's own settings
# (Contest.max_entries_per_teacher, Contest.max_teacher_entries).
TEACHER_VERIFY_DAYS = env.int("TEACHER_VERIFY_DAYS", default=3)
TEACHER_BATCH_MAX_ROWS = env.int("TEACHER_BATCH_MAX_ROWS", default=60)
RATELIMIT_TEACHER_UPLOADS = env("RATELIMIT_TEACHER_UPLOADS", default="300/h")
VOTE_MIN_FORM_SECONDS = env.int("VOTE_MIN_FORM_SECONDS", default=4)
VOTE_BURST_MINUTES = env.int("VOTE_BURST_MINUTES", default=10)
VOTE_BURST_NETWORK_VOTES = env.int("VOTE_BURST_NETWORK_VOTES", default=10)
VOTE_BURST_ENTRY_VOTES = env.int("VOTE_BURST_ENTRY_VOTES", default=30)
# The client's address for rate limits and sign-in throttling alike
# (config.client_ip, through django-ipware). Behind a proxy that overwrites it on every request
# (deploy/nginx.conf sets X-Real-IP), name the header here; never otherwise:
# a client could send it and choose its own address. Empty: REMOTE_ADDR.
CLIENT_IP_HEADER = env("CLIENT_IP_HEADER", default="")
# How many proxies in front write that header (django-ipware's proxy count):
# 1 for deploy/nginx.conf alone; 2 with a load balancer before it that
# appends to X-Forwarded-For.
CLIENT_IP_TRUSTED_PROXIES = env.int("CLIENT_IP_TRUSTED_PROXIES", default=1)
RATELIMIT_IP_META_KEY = "config.client_ip.client_ip"
# Local memory is per process: right for the run command (one process), too
# weak for several web workers, where CACHE_URL names Redis.
# Django's RedisCache (here config.cache.FailOpenRedisCache) increments
# atomically but is not on django-ratelimit's list of tested backends (W001).
SILENCED_SYSTEM_CHECKS = (
    ["django_ratelimit.E003", "django_ratelimit.W001"] if CACHES["default"]["BACKEND"].endswith("LocMemCache")
    else ["django_ratelimit.W001"]
)

# Upload policy (bytes). The same cap is applied by the form and by the web
# server in front; Django's own limits only cover non-file fields.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1000 * 1000)
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=40_000_000)
UPLOAD_MIN_SIDE = env.int("UPLOAD_MIN_SIDE", default=8)
UPLOAD_MAX_ASPECT = env.float("UPLOAD_MAX_ASPECT", default=20.0)
UPLOAD_LOW_RES_SIDE = env.int("UPLOAD_LOW_RES_SIDE", default=600)

# Rows (drawing cards, each with its award form) of one age category's
# ranking per page of the organizers' results: the top of the ranking is
# where winners are chosen, the rest is a page away. 24 fills rows of 2,
# 3, 4 or 6 cards and keeps the page light.
JUDGING_RESULTS_PAGE_SIZE = env.int("JUDGING_RESULTS_PAGE_SIZE", default=24)
# How long a judge's invitation link works (seconds; default 7 days).
JUDGE_INVITATION_TIMEOUT = env.int("JUDGE_INVITATION_TIMEOUT", default=7 * 24 * 3600)
# Resumable uploads without S3 (never public; shared by all web processes).
CHUNKED_UPLOAD_DIR = Path(env("CHUNKED_UPLOAD_DIR", default=str(BASE_DIR / "var" / "chunks")))
FILE_UPLOAD_HANDLERS = [
    "contest.uploads.MaxSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL = env.email_url("EMAIL_URL", default="filemail://")
vars().update(EMAIL)
# The file backend's folder: absolute, or relative to the project (not the cwd).
EMAIL_FILE_PATH = str(BASE_DIR / env("EMAIL_FILE_PATH", default="var/mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="contest@localhost")
# Seconds an SMTP connection may stay silent: a hung mail server fails the
# send (and the task retries later) instead of holding the e-mail's row lock.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)
# Where the help link in every page's footer writes to.
CONTACT_EMAIL = env("CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)

from .worker import *  # noqa: E402,F403  (Celery: config/settings/worker.py)

# Where tests and the demo seeding find the shared image corpus. The portal
# itself never reads it.
CORPUS_DIR = Path(env("CORPUS_DIR", default=str(BASE_DIR.parent / "shared" / "corpus")))

# Logs: one line per record with the request id (config/request_id.py);
# LOG_FORMAT=json writes JSON objects, for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = logging_config(log_format=LOG_FORMAT, level=env("LOG_LEVEL", default="INFO"))
# The worker logs through the same handler, so its lines carry the request id too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# /healthz: seconds each check (database, cache, broker, storage) may take.
HEALTHZ_TIMEOUT_SECONDS = env.float("HEALTHZ_TIMEOUT_SECONDS", default=2.0)
# Production redirects to HTTPS; the load balancer asks /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Errors to Sentry when SENTRY_DSN is set (sentry-sdk); nothing is sent otherwise.
sentry_init(
    dsn=env("SENTRY_DSN", default=""), environment=env("SENTRY_ENVIRONMENT", default="production"),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)
