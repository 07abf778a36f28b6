"""The portal's languages: the eight it speaks, their own names for the
switcher, and where translations and formats live (read by base.py)."""

from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("tg", _("Tajik")),
    ("tk", _("Turkmen")),
    ("uz", _("Uzbek (Latin)")),
    ("uz-cyrl", _("Uzbek (Cyrillic)")),
]
# Uzbek in Cyrillic script is served as `uz-cyrl` from locale/uz_Cyrl; Django
# knows no such language, so it gets an entry of its own. The switcher shows
# each language's own name, written the way its speakers write it.
LANGUAGE_NAMES_LOCAL = {
    "en": "English",
    "ru": "Русский",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
    "tk": "Türkmençe",
    "uz": "Oʻzbekcha",
    "uz-cyrl": "Ўзбекча",
}
EXTRA_LANG_INFO = {
    "uz-cyrl": {"bidi": False, "code": "uz-cyrl", "name": "Uzbek (Cyrillic)", "name_local": "Ўзбекча"},
}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats where Django has none (Kazakh, Uzbek Cyrillic) or
# wrong ones (the Russian year suffix in Tajik and Turkmen).
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
