"""`make bench-security`: the worst cases the input limits allow, timed (never a timed test).

Markdown (richtext/limits.py): for each hostile shape, the largest text of that shape that
the limits accept (at most MARKDOWN_MAX_CHARS characters; found by bisection on the shape's
size), rendered once without the memo. Target: the worst render under 0.5 s.

Import profile patterns (statistics/profiles/patterns.py, RE2): patterns that backtrack
catastrophically under Python's `re`, each matched (`fullmatch`, as the wide layout does, and
`search`, as skip rules do) against a full header of IMPORT_PROFILE_MAX_COLUMNS cells of
IMPORT_MAX_CELL_CHARS characters. Target: the worst under 0.5 s.

Prints each case's time and input shape, then the worst of each part; exits 1 if a target is
missed. Absolute times drift between machines: run it on the machine you deploy to.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wbportal.settings")
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    # Only once the environment above is set: Django reads it on import.
    import django

    django.setup()


def markdown_shapes(max_chars):
    """name -> a function of a size giving the text (longer with the size)."""
    filler = "word " * (max_chars // 5)
    return {
        "unclosed [ then text": lambda n: "[" * n + filler[: max_chars - n],
        "unclosed ![ then text": lambda n: "![" * n + filler[: max_chars - 2 * n],
        "unclosed [^ then text": lambda n: "[^" * n + filler[: max_chars - 2 * n],
        "nested [[[ ]]]": lambda n: "[" * n + "]" * n,
        "unclosed [a]( ": lambda n: "[a](" * n + filler[: max_chars - 4 * n],
        "[a][ repeated": lambda n: "[a][" * n + filler[: max_chars - 4 * n],
        "unclosed <a  then text": lambda n: "<a " * n + filler[: max_chars - 3 * n],
        "many short links": lambda n: "[a](https://example.org/x) " * n,
        "lists nested, repeated": lambda n: "".join("    " * (d % 10) + "* a\n" for d in range(n)),
        "list markers on one line": lambda n: ("* " * 10 + "a\n") * n,
        "quotes nested, repeated": lambda n: "".join(">" * (d % 11) + " a\n" for d in range(n)),
        "abbreviations and text": lambda n: (
            "".join(f"*[A{i}]: x\n" for i in range(min(n, 100))) + "\n" + "A1 word " * n
        ),
        "footnotes defined and used": lambda n: (
            "".join(f"[^{i}]" for i in range(min(n, 300)))
            + "\n\n"
            + "".join(f"[^{i}]: note {i}\n" for i in range(min(n, 300)))
            + "\n"
            + "x " * n
        ),
        "wide table": lambda n: "|a" * n + "|\n" + "|-" * n + "|\n" + "|a" * n + "|\n",
        "emphasis runs": lambda n: "*a **b _c __d " * n,
        "backticks": lambda n: "`a ``b " * n,
        "entities": lambda n: "&#x41;&amp;&" * n,
        "one huge paragraph": lambda n: "word " * n,
        "many paragraphs": lambda n: "a\n\n" * n,
        "many list items": lambda n: "* a\n" * n,
        "many definitions": lambda n: "a\n: b\n\n" * n,
        "many headings": lambda n: "# h\n\n" * n,
        "many escapes": lambda n: "\\[" * n,
        "many tags": lambda n: "<b>" * n,
        "many e-mail autolinks": lambda n: "<a@b.c>" * n,
    }


def largest_allowed(make, problems, max_chars):
    """The largest size whose text the limits accept (bisection; texts grow with the size)."""
    low, high = 0, max_chars
    while low < high:
        middle = (low + high + 1) // 2
        text = make(middle)
        if len(text) <= max_chars and not problems(text):
            low = middle
        else:
            high = middle - 1
    return low


def bench_markdown():
    # After setup_django(): these read the settings when imported.
    from django.conf import settings

    from richtext import limits
    from richtext.rendering import _render

    max_chars = settings.MARKDOWN_MAX_CHARS
    print(f"Markdown: largest allowed text of each shape (MARKDOWN_MAX_CHARS={max_chars:,})")
    worst = (0.0, "")
    for name, make in markdown_shapes(max_chars).items():
        size = largest_allowed(make, limits.problems, max_chars)
        text = make(size)
        started = time.perf_counter()
        _render.__wrapped__(text)
        seconds = time.perf_counter() - started
        print(f"  {seconds:7.3f} s  {name:28} size {size:6,}  {len(text):6,} chars")
        worst = max(worst, (seconds, f"{name} (size {size:,}, {len(text):,} chars)"))
    print(f"Markdown worst: {worst[0]:.3f} s for {worst[1]} (target < {TARGET_SECONDS} s)")
    return worst[0]


def bench_patterns():
    # After setup_django(): these read the settings when imported.
    from statistics.profiles.patterns import PatternError, compile_pattern

    from django.conf import settings

    columns = settings.IMPORT_PROFILE_MAX_COLUMNS
    chars = settings.IMPORT_MAX_CELL_CHARS
    print(f"\nProfile patterns: {columns} header cells of {chars:,} characters each")
    cases = {
        r"^(?P<period>(a+)+)$": "a" * (chars - 1) + "!",
        r"^(?P<period>(a|a)*)$": "a" * (chars - 1) + "!",
        r"^(?P<period>(.*)*)x$": "y" * chars,
        r"^(?P<period>(\d+\s?)+)$": "1 " * (chars // 2 - 1) + "!",
        r"(?P<period>(\w+\s?)*)#": "ab " * (chars // 3),
        r"^(?P<period>a{1,100}){1,100}$": "a" * chars,
    }
    worst = (0.0, "")
    for text, cell in cases.items():
        header = [cell] * columns
        started = time.perf_counter()
        try:
            pattern = compile_pattern(text)
        except PatternError as error:
            seconds = time.perf_counter() - started
            print(f"  {seconds:7.3f} s  {text:32} refused: {error}")
            continue
        for value in header:
            pattern.fullmatch(value)
            pattern.search(value)
        seconds = time.perf_counter() - started
        print(f"  {seconds:7.3f} s  {text:32} cell {cell[:12]!r}…")
        worst = max(worst, (seconds, text))
    print(f"Profile pattern worst: {worst[0]:.3f} s for {worst[1]} (target < {TARGET_SECONDS} s)")
    return worst[0]


def main():
    setup_django()
    markdown = bench_markdown()
    patterns = bench_patterns()
    return 0 if max(markdown, patterns) < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
