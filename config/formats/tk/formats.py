# Turkmen: "ý." (ýyl, year), not Django's Russian "г.".
# 15 mart 2026 ý. / 15.03.2026
from config.formats.common import *  # noqa: F401,F403

DATE_FORMAT = "j E Y ý."
DATETIME_FORMAT = "j E Y ý. G:i"
YEAR_MONTH_FORMAT = "F Y ý."
