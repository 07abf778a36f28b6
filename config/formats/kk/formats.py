# Kazakh: Django ships none, so pages fell back to US formats.
# 15 наурыз 2026 ж. / 15.03.2026
from config.formats.common import *  # noqa: F401,F403

DATE_FORMAT = "j E Y ж."
DATETIME_FORMAT = "j E Y ж. G:i"
YEAR_MONTH_FORMAT = "F Y ж."
