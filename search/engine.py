"""Site search over the registered targets (search.registry): two backends, one result shape.

- PostgreSQL: full-text search (`django.contrib.postgres.search`) with the text search
  configuration `wbportal_english` (English stemming over `unaccent`, created by
  wbportal/migrations/0002_search_postgres.py; see search/apps.py), so "Pristina" finds
  "Priština" and "returns" finds "return"; a word may also match a close spelling (pg_trgm
  word similarity of at least TRIGRAM_THRESHOLD, so "Pristina" finds "Prishtina"; only in
  the fields of the target's `close_weights`). Ranked by `SearchRank`.
- Other databases (SQLite in development and tests): each target's public rows are read
  (only the searched fields) and matched in Python on case- and accent-folded text: a word
  matches as a substring or as a close spelling (difflib). Ranked by field weight.

Both: every word of the query must match (in any field; at most MAX_TERMS words are read);
at most MAX_PER_TARGET results of each kind. A result's snippet is plain text (Markdown
fields are read as the page shows them: the field's own `plain_text`), HTML-escaped, with
`<mark>` around the words that match (on PostgreSQL also the words sharing a query word's
stem: "returns" for "returning"). Snippets are made only for the results a page shows.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, reduce

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Expression, F, Q, Value
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .registry import SearchTarget, targets

SEARCH_CONFIG = "wbportal_english"
MAX_QUERY_LENGTH = 200
# Each word costs a similarity per field and row on PostgreSQL: a query of 100 one-letter
# words must not cost 100 times one of a word.
MAX_TERMS = 8
MAX_PER_TARGET = 100
SNIPPET_WORDS = 30
# Close spellings ("Pristina" for "Prishtina"): pg_trgm word similarity on PostgreSQL,
# difflib's ratio (for words of FUZZY_MIN_LENGTH letters or more) in the fallback.
TRIGRAM_THRESHOLD = 0.5
FUZZY_MIN_LENGTH = 5
FUZZY_RATIO = 0.8
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# Letters that Unicode does not decompose into a base letter plus an accent.
FOLD = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae"})


@dataclass
class SearchResult:
    target: SearchTarget
    object: object
    rank: float
    title: str
    # The folded words to mark in the snippet: the query's, and on PostgreSQL their stems.
    marks: tuple = ()

    @property
    def url(self):
        return self.object.get_absolute_url()

    @property
    def kind(self):
        return self.target.label

    @cached_property
    def snippet(self):
        """Safe HTML: about SNIPPET_WORDS words of plain text, escaped, matches marked."""
        texts = snippet_texts(self.target, self.object)
        best = next(
            (t for t in texts if any(_matches(word, fold(t)) for word in self.marks)),
            next((t for t in texts if t), ""),
        )
        return _snippet(best, self.marks)


def snippet_texts(target, row):
    """The plain texts a result's snippet is taken from: the target's `snippet` function, or
    its `snippet_fields` (a Markdown field as its reader sees it, without markup)."""
    if target.snippet is not None:
        texts = target.snippet(row)
        return [texts] if isinstance(texts, str) else [str(text or "") for text in texts]
    texts = []
    for name in target.snippet_fields:
        value = getattr(row, name, "") or ""
        as_plain_text = _plain_text_of(row, name)
        texts.append(as_plain_text(value) if as_plain_text else str(value))
    return texts


def _plain_text_of(row, name):
    """The field's own way of giving its text without markup (a Markdown field's
    `plain_text`), or None: this app names no field class of another app."""
    try:
        return getattr(row._meta.get_field(name), "plain_text", None)
    except LookupError:  # FieldDoesNotExist: an annotation or a property
        return None


def fold(text):
    """Lower case without accents: "Priština" -> "pristina", "Đakovica" -> "dakovica"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(FOLD)


def terms_of(text):
    """The query's words, folded, each once, at most MAX_TERMS (punctuation, quotes and
    markup are not words)."""
    return list(dict.fromkeys(re.findall(r"\w+", fold(text))))[:MAX_TERMS]


def search(text, engine=None):
    """Results for `text` across all targets, best first. `engine`: "postgresql" or
    "python"; default: PostgreSQL's full-text search when the database is PostgreSQL."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    terms = terms_of(text)
    if not terms:
        return []
    engine = engine or ("postgresql" if connection.vendor == "postgresql" else "python")
    if engine == "postgresql":
        backend = _postgres_results
        marks = tuple(dict.fromkeys([*terms, *_stems(text)]))
    else:
        backend, marks = _python_results, tuple(terms)
    results = []
    for target in targets():
        results += backend(target, text, terms, marks)
    results.sort(key=lambda result: (-result.rank, result.title.casefold()))
    return results


# --- PostgreSQL -------------------------------------------------------------------------


def _postgres_results(target, text, terms, marks):
    query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
    if target.document_column:
        vector = StoredDocument(target.document_column)
    else:
        vector = reduce(
            lambda a, b: a + b,
            [
                SearchVector(name, weight=weight, config=SEARCH_CONFIG)
                for name, weight in target.fields.items()
            ],
        )
    # Close spellings: each term's best word similarity over the fields, against a
    # threshold set here (pg_trgm's default 0.6 misses "Pristina" for "Prishtina": 0.58).
    compared = [name for name, weight in target.fields.items() if weight in target.close_weights]
    similarities = {
        f"close_{i}": Greatest(
            *[TrigramWordSimilarity(term, Unaccent(F(name))) for name in compared],
            Value(0.0),
        )
        for i, term in enumerate(terms)
    }
    close = Q(**{f"{name}__gte": TRIGRAM_THRESHOLD for name in similarities})
    rows = (
        target.queryset()
        # Aliases, not annotations: a row that matches the words is not also compared for
        # close spellings (PostgreSQL stops at the first true side of the OR).
        .alias(document=vector, **similarities)
        .filter(Q(document=query) | close)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "pk")[:MAX_PER_TARGET]
    )
    return [
        SearchResult(target, row, float(row.rank), str(target.title(row)), marks) for row in rows
    ]


class StoredDocument(Expression):
    """A target table's stored search vector (not a model field: see the migration)."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _stems(text):
    """The stems PostgreSQL searches for (folded): "returning" -> "return"."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector(%s::regconfig, %s)::text", [SEARCH_CONFIG, text])
        (vector,) = cursor.fetchone()
    return [fold(lexeme.replace("''", "'")) for lexeme in re.findall(r"'((?:[^']|'')*)'", vector)]


# --- Python fallback (SQLite) -------------------------------------------------------------


def _python_results(target, text, terms, marks):
    names = list(target.fields)
    # Whole rows: a result needs more than the searched fields (slug, footnote, ...).
    rows = target.queryset()
    results = []
    for row in rows:
        folded = {name: fold(str(getattr(row, name) or "")) for name in names}
        rank = 0.0
        for term in terms:
            weight = max(
                (
                    WEIGHTS[target.fields[name]]
                    for name in names
                    if _matches(term, folded[name], target.fields[name] in target.close_weights)
                ),
                default=0.0,
            )
            if not weight:
                break
            rank += weight
        else:
            results.append(SearchResult(target, row, rank, str(target.title(row)), marks))
    results.sort(key=lambda result: -result.rank)
    return results[:MAX_PER_TARGET]


def _matches(term, folded_text, close=True):
    if term in folded_text:
        return True
    return (
        close
        and len(term) >= FUZZY_MIN_LENGTH
        and any(_close(term, word) for word in re.findall(r"\w+", folded_text))
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
    # A third of the words before the match, fewer where the text ends sooner.
    start = max(0, min(first - SNIPPET_WORDS // 3, len(words) - SNIPPET_WORDS))
    shown = range(start, min(len(words), start + SNIPPET_WORDS))
    parts = [_marked(words[i], terms) for i in shown]
    prefix = "… " if start else ""
    suffix = " …" if shown.stop < len(words) else ""
    return mark_safe(prefix + " ".join(parts) + suffix)


def _marked(word, terms):
    """`word` (text between spaces) escaped, its matching runs of letters in <mark>: the
    comma of "Podgorica," stays outside."""
    parts, last = [], 0
    for run in re.finditer(r"\w+", word):
        if any(_word_matches(term, fold(run[0])) for term in terms):
            parts += [escape(word[last : run.start()]), f"<mark>{escape(run[0])}</mark>"]
            last = run.end()
    parts.append(escape(word[last:]))
    return "".join(parts)


def _word_matches(term, folded_word):
    return term in folded_word or (len(term) >= FUZZY_MIN_LENGTH and _close(term, folded_word))
