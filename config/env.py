"""One shared django-environ reader for every settings module.

Values come from the process environment, then from a `.env` file at the
project root if one exists (see `.env.example` for every name).
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")
