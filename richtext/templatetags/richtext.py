from django import template

from richtext.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """Render stored Markdown as sanitised HTML: {{ region.body|markdown }}."""
    return render_markdown(text)
