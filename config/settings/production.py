"""Production: every secret and every service from the environment (no
embedded fallbacks), HTTPS only, hardened cookies and headers.
`manage.py check --deploy` reports nothing with it.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL),
CELERY_BROKER_URL (Redis or RabbitMQ), CACHE_URL (Redis), EMAIL_URL (SMTP),
SITE_URL (the public address in guardians' e-mail links).
S3_BUCKET (with S3_ENDPOINT_URL for MinIO and other S3-compatible stores)
moves media to object storage; without it, media stays on a shared volume.
"""

from config import secret_key  # registers the SECRET_KEY check, config.E001
from config.env import env

from .base import *  # noqa: F403
from config.cache import redis_cache_config

from .base import BASE_DIR, CACHE_SOCKET_TIMEOUT, DATABASES

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or secret_key.MISSING
# A missing, short or placeholder key is a system-check ERROR (config.E001):
# manage.py commands and the WSGI application refuse to start.
SECRET_KEY_STRICT = True
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Every link in an e-mail to a guardian starts with it; base.py's loopback
# default would send parents to 127.0.0.1.
SITE_URL = env("SITE_URL")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

# The embedded defaults of base.py (SQLite, the filesystem broker, a
# per-process cache, e-mail as files) would each break a multi-process
# deployment quietly: demand the real thing.
DATABASES["default"] = {**env.db("DATABASE_URL"), "ATOMIC_REQUESTS": False, "CONN_HEALTH_CHECKS": True}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CACHES = {"default": env.cache("CACHE_URL")}
if CACHES["default"]["BACKEND"].endswith("redis.RedisCache"):
    CACHES["default"] = redis_cache_config(url=CACHES["default"]["LOCATION"], socket_timeout=CACHE_SOCKET_TIMEOUT)
# Rate limits count in this cache. Django's own RedisCache increments
# atomically but is not on django-ratelimit's list of tested backends (W001);
# a per-process cache (E003) stays an error here.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
EMAIL = env.email_url("EMAIL_URL")
vars().update(EMAIL)
# django-environ drops the leading slash of a filemail:// path; a given
# EMAIL_FILE_PATH wins, as in the base settings.
_mail_folder = env("EMAIL_FILE_PATH", default="")
if _mail_folder:
    EMAIL_FILE_PATH = str(BASE_DIR / _mail_folder)

# Organizers must use two-factor sign-in (config.two_factor); false turns it off.
STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Sessions in the database, not the cache: a parent's submission (its
# one-time token, its receipt) keeps working while Redis is down or hung.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
