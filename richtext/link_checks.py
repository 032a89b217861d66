"""Links in a Markdown text that readers could not follow, for the editor, its preview and the
check before a text goes public (richtext/admin.py).

richtext knows no page of the site: the app that does registers a check here from its
AppConfig.ready() (links/apps.py). A check takes the text and returns its problems, each with
a `message` for the editor. With none registered, no text has link problems.
"""

from collections.abc import Callable, Sequence
from typing import Protocol


class LinkProblem(Protocol):
    @property
    def message(self) -> str: ...


LinkCheck = Callable[[str], Sequence[LinkProblem]]

_checks: list[LinkCheck] = []


def register_link_check(check: LinkCheck) -> None:
    """Have `check` run on every text the editor shows, previews or saves (once each)."""
    if check not in _checks:
        _checks.append(check)


def link_problems(text: str) -> list[LinkProblem]:
    """What the registered checks find wrong with the links in Markdown `text`."""
    return [problem for check in _checks for problem in check(text or "")]
