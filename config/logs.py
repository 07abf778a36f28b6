"""Log records as JSON lines (LOG_FORMAT=json) and the optional Sentry
set-up (SENTRY_DSN)."""

from __future__ import annotations

import datetime as dt
import json
import logging

try:  # Optional: installed from requirements.txt, used only with SENTRY_DSN.
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
except ImportError:  # pragma: no cover - an environment without it
    sentry_sdk = None

logger = logging.getLogger(__name__)


def logging_config(*, log_format: str, level: str) -> dict:
    """Django's LOGGING: every record to the console with the request id
    (config/request_id.py), as text or (`log_format` "json") JSON lines."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
        "formatters": {
            "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "config.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": log_format},
        },
        "root": {"handlers": ["console"], "level": level},
    }


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger,
    request_id, message, and the traceback when there is one."""

    def format(self, record):
        data = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> bool:
    """Start sentry-sdk (Django and Celery integrations, no personal data
    sent) when `dsn` is set; returns whether it was started."""
    if not dsn:
        return False
    if sentry_sdk is None:
        logger.warning("SENTRY_DSN is set but sentry-sdk is not installed (pip install -r requirements.txt)")
        return False
    sentry_sdk.init(
        dsn=dsn, environment=environment, traces_sample_rate=traces_sample_rate, send_default_pii=False,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
    return True
