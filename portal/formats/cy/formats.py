# "24 Tachwedd 2026", "24 Tachwedd 2026, 14:05": the 24-hour clock, as in English.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
