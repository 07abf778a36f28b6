"""The public forms' rate limits (django-ratelimit), as decorators on the
real request.

Each limit is counted in the default cache under its group and key; the
rates are read from the settings at request time (`RATELIMIT_SUBMIT_IP`,
`RATELIMIT_SUBMIT_GUARDIAN`, `RATELIMIT_LINKS_IP`,
`RATELIMIT_LINKS_GUARDIAN`, "n/h"), so an operator (or a test) can change
them. The decorators never block by themselves: they set
`request.limited`, and the view decides where in its flow that matters
(a second click on Submit still reaches its receipt). The client's
address is `RATELIMIT_IP_META_KEY` (config.client_ip).
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit


def rate(setting: str):
    """A rate callable for django-ratelimit that reads `setting` when the
    request comes, not at import."""
    return lambda group, request: getattr(settings, setting)


def normalized_email(value: str) -> str:
    """The key of a per-guardian limit: the address, trimmed and in lower
    case ("-" for none, so every empty address shares one count)."""
    return (value or "").strip().lower() or "-"


def guardian_email_key(group, request) -> str:
    """The posted `guardian_email`, as `normalized_email`."""
    return normalized_email(request.POST.get("guardian_email"))


def _posts(group: str, key, setting: str):
    return ratelimit(group=group, key=key, rate=rate(setting), method="POST", block=False)


def limit_submissions(view):
    """The submit form: per client address and per guardian's address."""
    return _posts("submit-ip", "ip", "RATELIMIT_SUBMIT_IP")(
        _posts("submit-guardian", guardian_email_key, "RATELIMIT_SUBMIT_GUARDIAN")(view)
    )


def limit_uploads(view):
    """Starting a resumable upload: per client address, at the submit form's rate."""
    return _posts("upload-ip", "ip", "RATELIMIT_SUBMIT_IP")(view)


def limit_link_mail(view):
    """Asking for a guardian's links by e-mail: per client address."""
    return _posts("links-ip", "ip", "RATELIMIT_LINKS_IP")(view)


def guardian_link_mail_limited(request, *, email: str) -> bool:
    """Count one link e-mail to `email` on the real `request` and say
    whether that address is over `RATELIMIT_LINKS_GUARDIAN`, whatever the
    client's address. Called once the address is known (from the form, or
    from the entry the session names), so a refused form counts nothing."""
    return is_ratelimited(
        request, group="links-guardian", key=lambda group, request: normalized_email(email),
        rate=rate("RATELIMIT_LINKS_GUARDIAN"), method="POST", increment=True,
    )
