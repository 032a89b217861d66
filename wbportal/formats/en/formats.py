# Dates on the site in one style, "31 March 2025" (Django's English default is the US-style
# "Dec. 31, 2025"). Used by |date:"DATE_FORMAT" and formatting.display;
# see docs/staff/numbers-and-dates.md.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"

# How date boxes in forms show a stored date, and what the admin's calendar writes into
# them: the first of each list. Day.month.year, the region's order, as staff type dates
# (formatting/regional_input.py reads them, and ISO, whatever this says).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
