"""Site search over the registered targets (search.registry): two backends, one result shape.

- PostgreSQL: full-text search (`django.contrib.postgres.search`) with the text search
  configuration `wbportal_english` (English stemming over `unaccent`, created by
  wbportal/migrations/0002_search_postgres.py; see search/apps.py), so "Pristina" finds
  "Priština" and "returns" finds "return"; a word may also match a close spelling (pg_trgm
  word similarity of at least TRIGRAM_THRESHOLD, so "Pristina" finds "Prishtina"). Ranked
  by `SearchRank`, highlighted by `SearchHeadline`.
- Other databases (SQLite in development and tests): each target's public rows are read
  (only the searched fields) and matched in Python on case- and accent-folded text: a word
  matches as a substring or as a close spelling (difflib). Ranked by field weight.

Both: every word of the query must match (in any field); at most MAX_PER_TARGET results of
each kind; highlights are `<mark>` around matches in HTML-escaped text.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .registry import SearchTarget, targets

SEARCH_CONFIG = "wbportal_english"
MAX_QUERY_LENGTH = 200
MAX_PER_TARGET = 100
SNIPPET_WORDS = 30
# Close spellings ("Pristina" for "Prishtina"): pg_trgm word similarity on PostgreSQL,
# difflib's ratio (for words of FUZZY_MIN_LENGTH letters or more) in the fallback.
TRIGRAM_THRESHOLD = 0.5
FUZZY_MIN_LENGTH = 5
FUZZY_RATIO = 0.8
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# Sentinels around PostgreSQL's highlighted words: the headline is escaped first, then they
# become <mark> tags, so no stored text ever reaches the page unescaped.
MARK_START, MARK_STOP = "\x02", "\x03"
# Letters that Unicode does not decompose into a base letter plus an accent.
FOLD = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae"})


@dataclass
class SearchResult:
    target: SearchTarget
    object: object
    rank: float
    snippet: str = ""
    title: str = field(default="")

    @property
    def url(self):
        return self.object.get_absolute_url()

    @property
    def kind(self):
        return self.target.label


def fold(text):
    """Lower case without accents: "Priština" -> "pristina", "Đakovica" -> "dakovica"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(FOLD)


def terms_of(text):
    """The query's words, folded (punctuation, quotes and markup are not words)."""
    return re.findall(r"\w+", fold(text))


def search(text, engine=None):
    """Results for `text` across all targets, best first. `engine`: "postgresql" or
    "python"; default: PostgreSQL's full-text search when the database is PostgreSQL."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    terms = terms_of(text)
    if not terms:
        return []
    engine = engine or ("postgresql" if connection.vendor == "postgresql" else "python")
    backend = _postgres_results if engine == "postgresql" else _python_results
    results = []
    for target in targets():
        results += backend(target, text, terms)
    results.sort(key=lambda result: (-result.rank, result.title.casefold()))
    return results


# --- PostgreSQL -------------------------------------------------------------------------


def _postgres_results(target, text, terms):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    vector = reduce(
        lambda a, b: a + b,
        [
            SearchVector(name, weight=weight, config=SEARCH_CONFIG)
            for name, weight in target.fields.items()
        ],
    )
    # Close spellings: each term's best word similarity over the fields, against a
    # threshold set here (pg_trgm's default 0.6 misses "Pristina" for "Prishtina": 0.58).
    similarities = {
        f"close_{i}": Greatest(
            *[TrigramWordSimilarity(term, Unaccent(F(name))) for name in target.fields],
            Value(0.0),
        )
        for i, term in enumerate(terms)
    }
    close = Q(**{f"{name}__gte": TRIGRAM_THRESHOLD for name in similarities})
    headlines = {
        f"headline_{name}": SearchHeadline(
            name,
            query,
            config=SEARCH_CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_STOP,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
        )
        for name in target.snippet_fields
    }
    rows = (
        target.queryset()
        .annotate(document=vector, rank=SearchRank(vector, query), **similarities)
        .filter(Q(document=query) | close)
        .annotate(**headlines)
        .order_by("-rank", "pk")[:MAX_PER_TARGET]
    )
    results = []
    for row in rows:
        snippets = [getattr(row, f"headline_{name}") or "" for name in target.snippet_fields]
        best = next((s for s in snippets if MARK_START in s), next((s for s in snippets if s), ""))
        results.append(
            SearchResult(
                target,
                row,
                float(row.rank),
                _marked(best, terms) if MARK_START in best else _snippet(best, terms),
                str(target.title(row)),
            )
        )
    return results


def _marked(headline, terms):
    """PostgreSQL's headline, escaped, its sentinels turned into <mark> pairs."""
    html = escape(headline)
    html = re.sub(f"{MARK_START}(.*?){MARK_STOP}", r"<mark>\1</mark>", html, flags=re.S)
    return mark_safe(html.replace(MARK_START, "").replace(MARK_STOP, ""))


# --- Python fallback (SQLite) -------------------------------------------------------------


def _python_results(target, text, terms):
    names = list(target.fields)
    # Whole rows: a result needs more than the searched fields (slug, footnote, ...).
    rows = target.queryset()
    results = []
    for row in rows:
        folded = {name: fold(str(getattr(row, name) or "")) for name in names}
        rank = 0.0
        for term in terms:
            weight = max(
                (WEIGHTS[target.fields[name]] for name in names if _matches(term, folded[name])),
                default=0.0,
            )
            if not weight:
                break
            rank += weight
        else:
            text_fields = [str(getattr(row, name) or "") for name in target.snippet_fields]
            best = next(
                (t for t in text_fields if any(_matches(term, fold(t)) for term in terms)),
                next((t for t in text_fields if t), ""),
            )
            results.append(
                SearchResult(target, row, rank, _snippet(best, terms), str(target.title(row)))
            )
    results.sort(key=lambda result: -result.rank)
    return results[:MAX_PER_TARGET]


def _matches(term, folded_text):
    if term in folded_text:
        return True
    return len(term) >= FUZZY_MIN_LENGTH and any(
        _close(term, word) for word in re.findall(r"\w+", folded_text)
    )


def _close(term, word):
    return (
        len(word) >= FUZZY_MIN_LENGTH
        and abs(len(word) - len(term)) <= 2
        and difflib.SequenceMatcher(None, term, word).ratio() >= FUZZY_RATIO
    )


def _snippet(text, terms):
    """About SNIPPET_WORDS words of `text` around the first match, escaped, matches marked."""
    words = text.split()
    if not words:
        return ""
    folded = [fold(word) for word in words]
    first = next(
        (i for i, word in enumerate(folded) if any(_word_matches(t, word) for t in terms)), 0
    )
    start = max(0, first - SNIPPET_WORDS // 3)
    shown = range(start, min(len(words), start + SNIPPET_WORDS))
    parts = []
    for i in shown:
        word = escape(words[i])
        if any(_word_matches(term, folded[i]) for term in terms):
            word = f"<mark>{word}</mark>"
        parts.append(word)
    prefix = "… " if start else ""
    suffix = " …" if shown.stop < len(words) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)


def _word_matches(term, folded_word):
    return term in folded_word or (len(term) >= FUZZY_MIN_LENGTH and _close(term, folded_word))
