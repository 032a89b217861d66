"""The indicator page's heavy parts (charts, maps, tables, the chart file list) rendered once
per data version and shared by every render of the same page.

Key: the indicator's data version (charts.files.data_version: its change time, its public
observations' count and latest change), the page cache's data generation (every change that
may alter figures moves it: a source renamed, a release going public, an area published; a
region's text or a project does not), the area and the
canonical compare options (`page_query`, bounded by the compare module), the language, and
the page's footnote state before the fragment (which footnoted countries were already
mentioned, and linked: the markers in the fragment depend on it).

The indicator page shows only public figures, to staff too, so one fragment serves everyone;
a page that shows anything else (a staff preview) must pass `shared=False`, which neither
reads nor fills the shared fragment.

Templates: `{% load fragments %}{% fragment "chart" %}...{% endfragment %}`. The view puts a
`FragmentCache` in the context as `fragments`; the response fills the cache after it has been
rendered, only if every fragment was rendered fresh (nothing half-filled).

Pages of content (a region's, a country's: `content_fragments()`) are keyed by the page
cache's shared generation instead of a data version: every change of content or data moves
it, except one of an item's own texts (a region's summary), which such pages render outside
their fragments. Their publishable parts also change with time alone (an item's
`publish_at` comes, which bumps nothing), so such fragments are kept no longer than the page
cache keeps a page (up to the next scheduled change, pagecache.page_lifetime). They are shared
only between visitors who see exactly the public content (`shares_fragments`): a signed-in
user may see drafts, and a staff preview renders proposed changes that are rolled back
afterwards; those render everything and keep nothing. A view that does not compute a
fragment's context up front (it hoped for a hit) gives `late_context`, called if a fragment
must be rendered after all.
"""

import hashlib
import logging

from django.core.cache import cache
from django.utils.translation import get_language

from pagecache import (
    current_generation_or_none,
    data_generation,
    page_lifetime,
    shared_generation,
)

from .charts.files import data_version

logger = logging.getLogger(__name__)
KEY_PREFIX = "statistics:fragment"
# Each content change leaves the fragments of the generation before unused: kept for an hour
# at most, so the cache does not fill with them (a render after an hour untouched draws anew).
FRAGMENT_SECONDS = 3600


class FragmentCache:
    """The fragments of one page render: those read from the cache and those rendered now."""

    def __init__(self, key, shared=True, generation=None, late_context=None):
        self.key = key
        self.shared = shared
        # The page cache's generation: the fragments are kept no longer than the next
        # scheduled change (see the module's docstring).
        self.generation = generation
        self.late_context = late_context
        self._late = None
        self.found = {}
        self.rendered = {}
        self.hits = 0
        if shared:
            try:
                self.found = cache.get(key) or {}
            except Exception as error:  # noqa: BLE001 - the cache is down: render it all
                logger.warning("Fragments rendered without the cache (%s)", error)

    @property
    def meta(self):
        """What the view keeps with the fragments (small facts the rest of the page needs)."""
        return self.found.get("meta")

    def get(self, name, state):
        entry = self.found.get(name)
        if entry is not None and entry["before"] == state:
            self.hits += 1
            return entry
        return None

    def context_for_render(self):
        """What the context lacks to render a fragment the cache did not give (or {});
        computed once, for every fragment of the page that must be rendered."""
        if self.late_context is None:
            return {}
        if self._late is None:
            self._late = self.late_context()
        return self._late

    def put(self, name, state, html, after):
        self.rendered[name] = {"before": state, "html": html, "after": after}

    def save(self, meta):
        """Keep what was rendered now (after the response is rendered)."""
        if not self.shared or not self.rendered or self.hits:
            return
        seconds = FRAGMENT_SECONDS
        try:
            if self.generation is not None:
                seconds = min(seconds, page_lifetime(self.generation))
                if seconds <= 0:
                    return  # a scheduled change is due now: nothing to keep
            cache.set(self.key, {**self.rendered, "meta": meta}, seconds)
        except Exception as error:  # noqa: BLE001 - full or down: rendered again next time
            logger.warning("Fragments not kept (%s)", error)


def indicator_fragments(indicator, area_query):
    """The FragmentCache of an indicator's page or embed (`area_query`: the area, compare
    options and which page). Not shared when there is no data generation to key it by. Kept
    no longer than the next scheduled change: a country going public at its `publish_at`
    joins the map and the compare form then, and bumps nothing."""
    generation = current_generation_or_none()
    data = data_generation(generation) if generation else None
    parts = [data_version(indicator), data or "", area_query, get_language() or ""]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return FragmentCache(
        f"{KEY_PREFIX}:{indicator.code}:{digest}",
        shared=data is not None,
        generation=generation,
    )


def shares_fragments(request):
    """Whether a request may read and fill shared fragments of content: only a visitor who
    sees exactly what is public (not signed in, not a staff preview)."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return not signed_in and not getattr(request, "publishing_preview", None)


def content_fragments(request, page, late_context, generation=None):
    """The FragmentCache of a page of content (`page`: e.g. "region:3"), keyed by the page
    cache's shared generation and the language: every change moves it but one of an item's
    own texts (settings.PAGE_CACHE_OWN_TEXT), which the page renders outside its fragments.
    Not shared when the generation cannot be read (the key would then outlive a change) or
    the request may not share (`shares_fragments`). `generation`: as read before the page
    read anything (default: now)."""
    generation = generation or current_generation_or_none()
    shared = shared_generation(generation) if generation else None
    parts = [shared or "", page, get_language() or ""]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]
    return FragmentCache(
        f"{KEY_PREFIX}:{page}:{digest}",
        shared=shared is not None and shares_fragments(request),
        generation=generation,
        late_context=late_context,
    )
