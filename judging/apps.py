from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self):
        from contest import rules as contest_rules

        from .rules import can_see_entry_image

        if can_see_entry_image not in contest_rules.ENTRY_IMAGE_VIEWERS:
            contest_rules.ENTRY_IMAGE_VIEWERS.append(can_see_entry_image)
