"""What the Markdown editor, its preview and the check before publishing are told about links
to this site that lead nowhere (registered with richtext in links/apps.py)."""

from .internal import LinkProblem, link_problems
from .scanning import links_in_markdown


def markdown_link_problems(text: str) -> list[LinkProblem]:
    """The links of Markdown `text` to pages of this site that are missing or not public."""
    return link_problems(links_in_markdown(text))
