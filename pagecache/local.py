import threading
from collections import OrderedDict
from typing import NotRequired, TypedDict

from django.conf import settings


class PageEntry(TypedDict):
    """A cached page as stored (pagecache.pages builds it, replay() answers from it)."""

    generation: str
    expires: float  # seconds since the epoch
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    # Entries stored before this mark existed lack it.
    xframe_options_exempt: NotRequired[bool]
    # The shared part of the generation it was rendered under, for a page that shows no
    # item's own texts (`page_cache_shows_own_texts = False`): served while that part holds.
    shared: NotRequired[str | None]


class LocalPageStore:
    """This process's copy of the cached pages it served last, at most `max_bytes` of them.

    A hit then fetches only the small generation value from the shared store instead of the
    whole page: for a large page that transfer and its unpickling were most of the cost of a
    hit (bench/NOTES.md). Never stale for the same reason as the shared store: an entry is
    served only while its generation is the current one, which is read from the shared store
    on every request, and until its own expiry. Least recently used entries go first.
    """

    def __init__(self) -> None:
        self._entries: OrderedDict[str, PageEntry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> PageEntry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: PageEntry) -> None:
        max_bytes = settings.PAGE_CACHE_LOCAL_BYTES
        size = len(entry["content"])
        with self._lock:
            self._discard(key)
            # A page bigger than a quarter of the budget would evict too much to be worth it.
            if size * 4 > max_bytes:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > max_bytes:
                self._discard(next(iter(self._entries)))

    def discard(self, key: str) -> None:
        with self._lock:
            self._discard(key)

    def _discard(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry["content"])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


local_pages = LocalPageStore()
