from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    """The site search.

    Its PostgreSQL side (the unaccent and pg_trgm extensions, the text search configuration
    `wbportal_english`) is created by wbportal/migrations/0002_search_postgres.py, which
    stays in the wbportal app: moving it would change the migration history of every
    existing database.
    """

    name = "search"
    verbose_name = "Site search"

    def ready(self):
        # Each app's own search.py registers its searchable models (search.registry); this
        # app names none of them.
        autodiscover_modules("search")
