"""A request id on every log line, from the upload request to the worker.

`RequestIdMiddleware` takes the load balancer's `X-Request-ID` (when it is
a short token) or makes one, keeps it for the request in a context
variable, and sends it back in the response. Every task published while
it is set carries it in its headers (`before_task_publish`), and the
worker sets it again while the task runs (`task_prerun`), so the worker's
log lines for an entry carry the id of the request that uploaded it.
`RequestIdFilter` puts it on every log record as `request_id`."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    """The id of the request (or task) being handled, "-" outside of one."""
    return _current.get()


def use(value: str):
    """Make `value` the current id; returns the token to reset it with."""
    return _current.set(value)


class RequestIdMiddleware:
    """First in the chain: every response, errors included, names its request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _VALID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Set, not reset afterwards: Django logs a failed response after the
        # middleware returns, and that line should name the request too.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` (the current id, or "-")."""

    def filter(self, record):
        record.request_id = _current.get()
        return True


@before_task_publish.connect
def _publish_with_request_id(headers=None, **kwargs):
    if headers is not None and _current.get() != "-":
        headers.setdefault(TASK_HEADER, _current.get())


@task_prerun.connect
def _task_with_request_id(task=None, **kwargs):
    value = getattr(task.request, TASK_HEADER, None) if task is not None else None
    if value is None and task is not None:
        value = (getattr(task.request, "headers", None) or {}).get(TASK_HEADER)
    _current.set(value if isinstance(value, str) and _VALID.match(value) else "-")


@task_postrun.connect
def _task_done(**kwargs):
    _current.set("-")
