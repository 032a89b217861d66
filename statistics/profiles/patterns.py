"""The regular expressions of an import profile (`value_columns`, `skip[].matches`), compiled
with RE2 (google-re2), whose matching time grows linearly with the text, whatever the pattern:
a profile cannot make a worker or `import_indicators --profile` backtrack for ever
(`^(?P<period>(a+)+)$` against 36 `a`s and `!` takes Python's `re` minutes, RE2 microseconds).

RE2 has no backreferences, lookarounds, atomic groups, possessive quantifiers or conditionals:
a profile that uses one is refused when it is saved or read, with a message naming the
feature. Its `\\d`, `\\w`, `\\s` and `\\b` are ASCII-only; `\\p{L}` matches any letter.
docs/developers/libraries.md says why RE2 rather than `regex` with a timeout.
"""

import re
from dataclasses import dataclass, field
from typing import Any

import re2
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Errors are reported to the Data manager; RE2 need not also log them to standard error.
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False

# What RE2 refuses that Python's `re` accepts, found in the pattern's text to name it.
_UNSUPPORTED: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"\\[1-9]|\(\?P=|\\g<"), gettext_lazy("backreference (\\1, (?P=name))")),
    (
        re.compile(r"\(\?<?[=!]"),
        gettext_lazy("lookahead or lookbehind ((?=…), (?!…), (?<=…), (?<!…))"),
    ),
    (re.compile(r"\(\?>"), gettext_lazy("atomic group ((?>…))")),
    (re.compile(r"(?<!\\)[*+?}]\+"), gettext_lazy("possessive quantifier (*+, ++, ?+)")),
    (re.compile(r"\(\?\("), gettext_lazy("conditional ((?(…)…|…))")),
)


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why, for a Data manager."""


@dataclass(frozen=True)
class Pattern:
    """A compiled profile pattern: `search` and `fullmatch` return a match (its `groupdict()`
    and `group()` as in `re`) or None. Equal when their texts are."""

    pattern: str
    compiled: Any = field(compare=False, repr=False)

    @property
    def groupindex(self) -> dict[str, int]:
        return dict(self.compiled.groupindex)

    def search(self, text: str) -> Any:
        return self.compiled.search(text)

    def fullmatch(self, text: str) -> Any:
        return self.compiled.fullmatch(text)


def compile_pattern(text: str) -> Pattern:
    """`text` compiled with RE2; PatternError (with the reason) if it cannot be."""
    if not isinstance(text, str):
        raise PatternError(_("a regular expression is a text"))
    for finder, feature in _UNSUPPORTED:
        if finder.search(text):
            raise PatternError(
                _(
                    "it uses a %(feature)s, which the import does not support (patterns run "
                    "on RE2, which keeps every match fast); rewrite it without"
                )
                % {"feature": feature}
            )
    try:
        compiled = re2.compile(text, options=_OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise PatternError(str(reason)) from None
    return Pattern(text, compiled)
