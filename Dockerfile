# The portal's image: web (gunicorn), worker and beat all run from it (see
# docker-compose.yml). Pinned base image; runs as an unprivileged user.
FROM python:3.11.10-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
RUN groupadd --system --gid 1000 contest \
 && useradd --system --uid 1000 --gid contest --home-dir /app --shell /usr/sbin/nologin contest

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Hashed, compressed static files for WhiteNoise, made at build time (the
# local settings need no services; the manifest is the same).
RUN DJANGO_SETTINGS_MODULE=config.settings.local DJANGO_SECRET_KEY=build-only \
    DJANGO_STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input -v 0 \
 && mkdir -p /app/var/beat /app/media \
 && chown -R contest:contest /app/var /app/media

USER contest
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60"]
