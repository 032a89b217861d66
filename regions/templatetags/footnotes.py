"""Template side of regions.footnotes: every mention of a footnoted country goes through these.

{% load footnotes %}
{% country_name country link=True %}     name (linked to its page) + marker
{% footnoted region.body|markdown %}     free text, names marked
{% mentions %}{{ form }}{% endmentions %} register names where no link may go
{% mentions as html %}...{% endmentions %} the same, kept in `html` to show later (notes first)
{% footnote_list %}                      the notes (base.html's footer)
"""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..footnotes import FootnoteRegistry

register = template.Library()

CONTEXT_KEY = "footnotes"


def registry(context):
    """This render's registry (set by wbportal.context_processors.site). A template rendered
    without a request gets a throw-away one: markers still render, no footer lists them."""
    found = context.get(CONTEXT_KEY)
    return found if found is not None else FootnoteRegistry()


@register.simple_tag(takes_context=True)
def country_name(context, country, link=False, always=False):
    """A country's name, linked to its page when `link`, with its footnote marker. Nothing
    for a country the public does not see (a draft's name is unreviewed text), unless
    `always` (the heading of the country's own page, which only staff reach as a draft)."""
    if not always and not country.is_public_now:
        return ""
    if link:
        name = format_html('<a href="{}">{}</a>', country.get_absolute_url(), country.name)
    else:
        name = format_html("{}", country.name)
    return format_html("{}{}", name, registry(context).mention(country, beside_link=link))


@register.simple_tag(takes_context=True)
def footnoted(context, text, link=True):
    """Free text with each footnoted country's name marked (escaped unless already safe)."""
    return registry(context).scan(text, link=link)


@register.simple_tag(takes_context=True)
def footnote_mark(context, country):
    """Only the marker, after a name written some other way (e.g. in a heading)."""
    return registry(context).mention(country)


class MentionsNode(template.Node):
    def __init__(self, nodelist, explain, target=None):
        self.nodelist = nodelist
        self.explain = explain
        self.target = target

    def render(self, context):
        output = self.nodelist.render(context)
        notes = registry(context)
        before = {note.country.iso_code for note in notes.notes}
        notes.scan(output, link=False)
        if self.target:
            context[self.target] = output
            return ""
        if not self.explain:
            return output
        new = [note.country for note in notes.notes if note.country.iso_code not in before]
        hints = "".join(
            format_html(
                '<p class="footnote-hint">{}{}: {}</p>',
                country.name,
                notes.mention(country),
                _("see the note at the foot of the page."),
            )
            for country in new
        )
        return output + hints


@register.tag
def mentions(parser, token):
    """Renders its content unchanged, noting the footnoted countries named in it.

    `{% mentions explain %}` (e.g. around a form whose options name them, where no link
    can go): then, after the content, each newly named country with its linked marker, so
    the asterisk in the options is explained and the note links back to something.

    `{% mentions as name %}` shows nothing there and keeps the content in `name`: the notes
    of what it names can then be listed before it (the embed puts them above its charts).
    """
    bits = token.split_contents()[1:]
    if len(bits) == 2 and bits[0] == "as":
        target = bits[1]
    elif bits in ([], ["explain"]):
        target = None
    else:
        raise template.TemplateSyntaxError(
            "{% mentions %} takes only the word 'explain', or 'as' and a name."
        )
    nodelist = parser.parse(("endmentions",))
    parser.delete_first_token()
    return MentionsNode(nodelist, explain=bits == ["explain"], target=target)


@register.simple_tag(takes_context=True)
def footnote_list(context, template_name="includes/footnotes.html"):
    """The notes of the countries named so far, through `template_name` (the embed's are
    shorter)."""
    notes = registry(context).notes
    if not notes:
        return ""
    return render_to_string(template_name, {"notes": notes})
