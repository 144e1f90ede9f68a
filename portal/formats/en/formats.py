# GOV.UK style dates: "24 November 2026", "24 November 2026, 2:05pm".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:iA"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "g:iA"
