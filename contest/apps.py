from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Contest")

    def ready(self):
        # The tasks, registered by name: services queue them by that name
        # (`contest.services.jobs`) and never import this module.
        from . import tasks  # noqa: F401
        # Django's table of languages has no Uzbek Cyrillic, and some of its
        # own names are lower case or descriptive ("oʻzbek tili"); the
        # switcher and `{% get_language_info %}` read this table.
        from django.conf import settings
        from django.conf.locale import LANG_INFO

        for code, info in settings.EXTRA_LANG_INFO.items():
            LANG_INFO.setdefault(code, info)
        for code, name in settings.LANGUAGE_NAMES_LOCAL.items():
            LANG_INFO[code] = {**LANG_INFO[code], "name_local": name}
