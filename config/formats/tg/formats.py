# Tajik: "сол" (year), not Django's Russian "г.".
# 15 марти 2026 с. / 15.03.2026
from config.formats.common import *  # noqa: F401,F403

DATE_FORMAT = "j E Y с."
DATETIME_FORMAT = "j E Y с. G:i"
YEAR_MONTH_FORMAT = "F Y с."
