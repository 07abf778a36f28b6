# Uzbek in Cyrillic script: Django has no such locale (the Latin module would
# write "yil"). 15-март, 2026 йил / 15.03.2026
from config.formats.common import *  # noqa: F401,F403

DATE_FORMAT = "j-E, Y йил"
DATETIME_FORMAT = "j-E, Y йил G:i"
YEAR_MONTH_FORMAT = "F Y йил"
