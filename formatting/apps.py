from django.apps import AppConfig


class FormattingConfig(AppConfig):
    """Numbers, periods, dates and file sizes as people read them (`display`), numbers and
    dates as people in the region type them (`regional_input`), and the `{% load formatting %}`
    template filters over `display`."""

    name = "formatting"
    verbose_name = "Formatting"
