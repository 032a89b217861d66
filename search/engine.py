"""Site search over the registered targets (search.registry): two backends, one result shape.

- PostgreSQL: full-text search (`django.contrib.postgres.search`) with the text search
  configuration `wbportal_english` (English stemming over `unaccent`, created by
  wbportal/migrations/0002_search_postgres.py; see search/apps.py), so "Pristina" finds
  "Priština" and "returns" finds "return"; a word may also match a close spelling (pg_trgm
  word similarity of at least TRIGRAM_THRESHOLD, so "Pristina" finds "Prishtina"; only in
  the fields of the target's `close_weights`, trigram-indexed for the kinds that grow).
  Ranked by `SearchRank`. One statement a search for every kind (see "PostgreSQL" below);
  rows are read for the results shown.
- Other databases (SQLite in development and tests): each target's public rows are read
  (only the searched fields) and matched in Python on case- and accent-folded text: a word
  matches as a substring or as a close spelling (difflib). Ranked by field weight.

Both: a result's rank is then weighed by how much of its title the query is
(title_closeness). Every word of the query must match (in any field; at most MAX_TERMS
words are read); at most MAX_PER_TARGET results of each kind. A result's snippet is plain
text (Markdown fields are read as the page shows them: the field's own `plain_text`),
HTML-escaped, with `<mark>` around the words that match (on PostgreSQL also the words
sharing a query word's stem: "returns" for "returning"). Snippets are made only for the
results a page shows.
"""

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache, reduce

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import Expression, F, Func, Q, TextField
from django.utils import timezone
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


@dataclass(eq=False)
class SearchResult:
    """One match. On PostgreSQL a result is first only its kind, key, rank and title text;
    its row (`object`) is read when the result is shown (SearchResults)."""

    target: SearchTarget
    pk: object
    rank: float
    # The text of the kind's title field: orders equal ranks and weighs how much of the
    # title the query is (title_closeness) before any row is read.
    sort_title: str
    # The folded words to mark in the snippet: the query's, and on PostgreSQL their stems.
    marks: tuple = ()
    object: object = None

    @property
    def title(self):
        return str(self.target.title(self.object))

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


class SearchResults(Sequence):
    """The results, best first, as a sequence (what the Paginator takes): a slice or an
    item reads the rows of the results in it that are not read yet, with one query per kind
    among them, so a page of 20 results makes at most 20 model instances and a fixed number
    of queries however many results there are. A row gone since the search (deleted or
    withdrawn in between) is left out of what a slice gives."""

    def __init__(self, results):
        self._results = results

    def __len__(self):
        return len(self._results)

    def __getitem__(self, index):
        if isinstance(index, slice):
            chosen = self._results[index]
            _read_rows(chosen)
            return [result for result in chosen if result.object is not GONE]
        result = self._results[index]
        _read_rows([result])
        if result.object is GONE:
            raise IndexError("The result's row is gone.")
        return result

    def __iter__(self):
        return iter(self[:])

    def __eq__(self, other):
        if isinstance(other, SearchResults | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return f"<SearchResults: {len(self)}>"


# The `object` of a result whose row was not found when it was read: not read again.
GONE = object()


def _read_rows(results):
    """Give each result its row (or GONE): one query per kind, through the kind's public
    queryset (its annotations and joins are what the title and snippet read)."""
    pending = {}
    for result in results:
        if result.object is None:
            pending.setdefault(result.target.key, []).append(result)
    for waiting in pending.values():
        target = waiting[0].target
        rows = {row.pk: row for row in target.queryset().filter(pk__in=[r.pk for r in waiting])}
        for result in waiting:
            result.object = rows.get(result.pk, GONE)


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
    if text.isascii():  # nothing to decompose: the common case, for every word of a snippet
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(FOLD)


def terms_of(text):
    """The query's words, folded, each once, at most MAX_TERMS (punctuation, quotes and
    markup are not words)."""
    return list(dict.fromkeys(re.findall(r"\w+", fold(text))))[:MAX_TERMS]


def title_closeness(title, marks):
    """The share of the title's words that the query's words (or stems) match: 1 for a
    title that is the query ("Serbia"), less the more the title says besides
    ("Refugees hosted, all origins" 1/4, "Refugees hosted, by country of origin" 1/6).
    Substrings only (no close spellings): it is worked out for every result."""
    words = re.findall(r"\w+", fold(title))
    if not words:
        return 0.0
    return sum(any(mark in word for mark in marks) for word in words) / len(words)


def search(text, engine=None):
    """Results for `text` across all targets, best first (SearchResults). `engine`:
    "postgresql" or "python"; default: PostgreSQL's full-text search when the database is
    PostgreSQL.

    A result's rank is its kind's text rank (fields' weights; PostgreSQL's `ts_rank`) times
    1 + title_closeness: an exact or near-exact title, a country's name, outranks a title
    that only contains the words and a mention in a long text."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    terms = terms_of(text)
    if not terms:
        return SearchResults([])
    engine = engine or ("postgresql" if connection.vendor == "postgresql" else "python")
    if engine == "postgresql":
        results = _postgres_results(text, terms)
    else:
        results = []
        for target in targets():
            results += _python_results(target, terms)
    for result in results:
        result.rank *= 1 + title_closeness(result.sort_title, result.marks)
    # Stable: equal ranks and titles keep the order of registration.
    results.sort(key=lambda result: (-result.rank, result.sort_title.casefold()))
    return SearchResults(results)


# --- PostgreSQL -------------------------------------------------------------------------
#
# One statement finds every kind's matches (at most MAX_PER_TARGET each, ranked and cut in
# SQL): a UNION ALL of one SELECT per kind, giving only kind, key, rank and title text, plus
# one row with the query's stems. Building and compiling a kind's ORM query is most of a
# search's CPU time, so each kind's SQL is compiled once per number of query words and kept
# with its parameters, the query's text and words put in at each search (_Compiled).


QUERY_SLOT = "\x00search-query\x00"
# No query word has a NUL (terms_of keeps letters and digits): these never clash.
TERM_SLOTS = tuple(f"\x00search-term-{i}\x00" for i in range(MAX_TERMS))


def _matching(target, text, terms):
    """The kind's public rows matching `text`: key, rank and title text, best first."""
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
    # Close spellings: every term is a close spelling of a word of one of the fields
    # (`field %> term`: pg_trgm word similarity of at least TRIGRAM_THRESHOLD, the setting
    # _postgres_results makes for its transaction), which a field's trigram index answers
    # (search.stored_documents.close_spelling_index) instead of comparing every row.
    compared = [name for name, weight in target.fields.items() if weight in target.close_weights]
    close = Q(
        *[
            reduce(
                lambda a, b: a | b,
                [Q(TrigramWordSimilar(Unaccented(F(name)), term)) for name in compared],
            )
            for term in terms
        ]
    )
    return (
        target.queryset()
        .alias(document=vector)
        .filter(Q(document=query) | close)
        .annotate(
            hit_pk=F("pk"), hit_rank=SearchRank(vector, query), hit_title=F(target.title_field)
        )
        .order_by("-hit_rank", "pk")
        .values_list("hit_pk", "hit_rank", "hit_title")[:MAX_PER_TARGET]
    )


class _Compiled:
    """A kind's compiled SQL for a number of query words, with its parameters: the query's
    text and words as slots, and "now" (the public querysets' `live_q()`) as a slot too, so
    a kept statement never freezes the moment it was compiled at. A "now" is a datetime
    parameter made while the query was built: the querysets take no other datetime from
    that moment (a fixed date would be outside it)."""

    NOW = object()

    def __init__(self, target, count):
        before = timezone.now()
        sql, params = _matching(target, QUERY_SLOT, TERM_SLOTS[:count]).query.sql_with_params()
        after = timezone.now()
        self.sql = sql
        self.slots = [
            self.NOW if isinstance(value, datetime) and before <= value <= after else value
            for value in params
        ]

    def params(self, text, terms, now):
        values = {QUERY_SLOT: text, **dict(zip(TERM_SLOTS, terms, strict=False))}
        return [
            now if slot is self.NOW else values.get(slot, slot) if isinstance(slot, str) else slot
            for slot in self.slots
        ]


_compiled = {}


def _statement(kinds, count):
    """The one statement for these kinds and number of words: (sql, branches)."""
    key = (tuple((target.key, id(target)) for target in kinds), count)
    if key not in _compiled:
        branches = [_Compiled(target, count) for target in kinds]
        selects = [
            f"SELECT {i} AS kind, hit_pk, hit_rank, hit_title, NULL AS stems "
            f"FROM ({branch.sql}) AS hits_{i}"
            for i, branch in enumerate(branches)
        ]
        selects.append("SELECT -1, NULL, NULL, NULL, to_tsvector(%s::regconfig, %s)::text")
        _compiled[key] = (" UNION ALL ".join(selects), branches)
    return _compiled[key]


def _postgres_results(text, terms):
    kinds = targets()
    sql, branches = _statement(kinds, len(terms))
    now = timezone.now()
    params = [value for branch in branches for value in branch.params(text, terms, now)]
    # pg_trgm's `%>` reads its threshold from a setting (default 0.6, which misses
    # "Pristina" for "Prishtina": 0.58): set for this transaction only (set_config's `true`,
    # as SET LOCAL), so it ends with it. No savepoint: inside a transaction (a test, a view
    # in one) it would cost two more queries, and only `%>` reads the setting.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(TRIGRAM_THRESHOLD)],
        )
        cursor.execute(sql, [*params, SEARCH_CONFIG, text])
        rows = cursor.fetchall()
    stems = next(row[4] for row in rows if row[0] == -1)
    marks = tuple(dict.fromkeys([*terms, *_lexemes(stems)]))
    return [
        SearchResult(kinds[kind], pk, float(rank), title or "", marks)
        for kind, pk, rank, title, _stems in rows
        if kind != -1
    ]


class Unaccented(Func):
    """unaccent as the IMMUTABLE `wbportal_unaccent` (search.stored_documents): the expression
    the close-spelling indexes hold, so a comparison of it can use them."""

    function = "wbportal_unaccent"
    output_field = TextField()


class StoredDocument(Expression):
    """A target table's stored search vector (not a model field: see the migration)."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def _lexemes(vector):
    """The stems of a tsvector's text (folded): "'return':1" -> ["return"]."""
    return [fold(lexeme.replace("''", "'")) for lexeme in re.findall(r"'((?:[^']|'')*)'", vector)]


# --- Python fallback (SQLite) -------------------------------------------------------------


def _python_results(target, terms):
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
            title = str(getattr(row, target.title_field) or "")
            results.append(SearchResult(target, row.pk, rank, title, tuple(terms), row))
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


@lru_cache(maxsize=65536)
def _close(term, word):
    """Whether `word` is a close spelling of `term` (both folded). Kept per pair: a page's
    snippets and the fallback compare the same words again and again, and difflib's ratio
    is the dearest step of either (its quick upper bounds go first)."""
    if len(word) < FUZZY_MIN_LENGTH or abs(len(word) - len(term)) > 2:
        return False
    matcher = difflib.SequenceMatcher(None, term, word)
    return (
        matcher.real_quick_ratio() >= FUZZY_RATIO
        and matcher.quick_ratio() >= FUZZY_RATIO
        and matcher.ratio() >= FUZZY_RATIO
    )


def _snippet(text, terms):
    """About SNIPPET_WORDS words of `text` around the first match, escaped, matches marked."""
    words = text.split()
    if not words:
        return ""
    # Folded one by one up to the first match: a long description is not folded whole.
    first = next(
        (
            i
            for i, word in enumerate(words)
            if any(_word_matches(t, folded) for folded in (fold(word),) for t in terms)
        ),
        0,
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
    if word.isalnum():  # one run of letters (most words): no need to find the runs
        folded = fold(word)
        if any(_word_matches(term, folded) for term in terms):
            return f"<mark>{escape(word)}</mark>"
        return escape(word)
    parts, last = [], 0
    for run in re.finditer(r"\w+", word):
        if any(_word_matches(term, fold(run[0])) for term in terms):
            parts += [escape(word[last : run.start()]), f"<mark>{escape(run[0])}</mark>"]
            last = run.end()
    parts.append(escape(word[last:]))
    return "".join(parts)


def _word_matches(term, folded_word):
    return term in folded_word or (len(term) >= FUZZY_MIN_LENGTH and _close(term, folded_word))
