# Uzbek in Cyrillic script: Django has no such locale (the Latin module would
# write "yil"). 15-март, 2026 йил / 15.03.2026
DATE_FORMAT = "j-E, Y йил"
DATETIME_FORMAT = "j-E, Y йил G:i"
YEAR_MONTH_FORMAT = "F Y йил"
TIME_FORMAT = "G:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # no-break space
NUMBER_GROUPING = 3
