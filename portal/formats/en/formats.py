# GOV.UK style dates: "24 November 2026". Times use the 24-hour clock in both languages ("24 November 2026, 14:05"),
# so a time reads the same whichever language a person chooses.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
