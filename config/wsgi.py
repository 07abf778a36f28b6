import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# The server runs no system checks: refuse a weak SECRET_KEY here (production).
from config.secret_key import secret_key_refuse_weak  # noqa: E402

secret_key_refuse_weak()
