from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self):
        # Judging adds to contest's registries; contest never imports judging.
        from contest import dashboard as contest_dashboard
        from contest import rules as contest_rules
        from contest.services import audit as contest_audit

        # The tasks, registered by name: services queue them by name.
        from . import tasks  # noqa: F401
        from .dashboard import judging_progress_section
        from .rules import can_see_entry_image
        from .signals import connect as connect_ranking_signals
        from .services.audit import entry_judging_text_erase

        connect_ranking_signals()
        if can_see_entry_image not in contest_rules.ENTRY_IMAGE_VIEWERS:
            contest_rules.ENTRY_IMAGE_VIEWERS.append(can_see_entry_image)
        if entry_judging_text_erase not in contest_audit.ENTRY_TEXT_ERASERS:
            contest_audit.ENTRY_TEXT_ERASERS.append(entry_judging_text_erase)
        if judging_progress_section not in contest_dashboard.DASHBOARD_SECTIONS:
            contest_dashboard.DASHBOARD_SECTIONS.append(judging_progress_section)
