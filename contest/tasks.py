"""Celery tasks of the contest app (thin: each calls one service)."""
