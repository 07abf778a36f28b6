"""The public forms' rate limits (django-ratelimit), as decorators on the
real request.

Each limit is counted in the default cache under its group and key; the
rates are read from the settings at request time (`RATELIMIT_SUBMIT_IP`,
`RATELIMIT_SUBMIT_SESSION`, `RATELIMIT_SUBMIT_GUARDIAN`,
`RATELIMIT_LINKS_IP`, `RATELIMIT_LINKS_GUARDIAN`, "n/h"), so an operator
(or a test) can change them. The decorators never block by themselves:
they set `request.limited` (and, for submissions, `request.limit_hit`:
which limit, so the page can say it), and the view decides where in its
flow that matters (a second click on Submit still reaches its receipt).
The client's address is `RATELIMIT_IP_META_KEY` (config.client_ip).

Submissions are limited per guardian's e-mail and per browser session;
the per-address limit is only a ceiling, high enough for a whole school
or a mobile carrier behind one address (300 an hour by default).
"""

from functools import wraps


from django.conf import settings
from django_ratelimit.core import is_ratelimited
from django.utils.module_loading import import_string
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


def browser_key(group, request) -> str:
    """The key of a per-browser limit: the browser's CSRF cookie (set when
    the form was opened, and the same before and after a session starts),
    else its session, else the client's address (a client that keeps no
    cookie at all counts per address)."""
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if csrf:
        return f"c:{csrf}"
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        return f"s:{session_key}"
    return f"ip:{import_string(settings.RATELIMIT_IP_META_KEY)(request)}"


# Which limit a refused submission hit, most specific first: the page tells
# the family which one (`contest.views.shortcuts.rate_limited`).
SUBMIT_LIMITS = (
    ("guardian", "submit-guardian", guardian_email_key, "RATELIMIT_SUBMIT_GUARDIAN"),
    ("browser", "submit-session", browser_key, "RATELIMIT_SUBMIT_SESSION"),
    ("network", "submit-ip", "ip", "RATELIMIT_SUBMIT_IP"),
)
UPLOAD_LIMITS = (
    ("browser", "upload-session", browser_key, "RATELIMIT_SUBMIT_SESSION"),
    ("network", "upload-ip", "ip", "RATELIMIT_SUBMIT_IP"),
)


def _counted(limits):
    """A decorator counting every POST against each of `limits` ((name,
    group, key, rate setting) tuples) and setting `request.limited` and
    `request.limit_hit` (the first limit's name that is over, else "")."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.limit_hit = ""
            if request.method == "POST":
                over = [
                    name for name, group, key, setting in limits
                    if is_ratelimited(request, group=group, key=key, rate=rate(setting), method="POST", increment=True)
                ]
                request.limit_hit = over[0] if over else ""
                request.limited = bool(over) or getattr(request, "limited", False)
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


def _posts(group: str, key, setting: str):
    return ratelimit(group=group, key=key, rate=rate(setting), method="POST", block=False)


def limit_submissions(view):
    """The submit form: per guardian's address and per browser, under a
    per-address ceiling (`SUBMIT_LIMITS`)."""
    return _counted(SUBMIT_LIMITS)(view)


def limit_uploads(view):
    """Starting a resumable upload: per browser at the submit form's
    per-session rate, under the per-address ceiling (`UPLOAD_LIMITS`)."""
    return _counted(UPLOAD_LIMITS)(view)


def limit_teacher_uploads(view):
    """Starting a resumable upload from a teacher's batch page: per
    signed-in teacher (`RATELIMIT_TEACHER_UPLOADS`: a class's photos at once)."""
    return _posts("teacher-upload", "user", "RATELIMIT_TEACHER_UPLOADS")(view)


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


VOTE_LIMITS = (
    ("browser", "vote-browser", browser_key, "RATELIMIT_VOTE_BROWSER"),
    ("network", "vote-ip", "ip", "RATELIMIT_VOTE_IP"),
)


def limit_votes(view):
    """The people's choice voting form: per browser, under a per-address
    ceiling (`VOTE_LIMITS`)."""
    return _counted(VOTE_LIMITS)(view)
