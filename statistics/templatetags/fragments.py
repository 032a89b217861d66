"""{% fragment "name" %}...{% endfragment %}: a part of a page kept in the cache (the indicator
page's charts and tables, a region's or country's content: statistics/fragments.py). Without
a `fragments` object in the context it renders as usual."""

from django import template
from django.utils.safestring import mark_safe

from regions.footnotes import ref_id
from regions.templatetags.footnotes import registry

from ..frame_stack import call_with_room

register = template.Library()


def footnote_state(notes):
    return tuple((note.country.iso_code, bool(note.ref_id)) for note in notes.notes)


class FragmentNode(template.Node):
    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        fragments = context.get("fragments")
        if fragments is None:
            return self.nodelist.render(context)
        notes = registry(context)
        state = footnote_state(notes)
        entry = fragments.get(self.name, state)
        if entry is not None:
            # The footnotes the fragment mentions, as if it had been rendered now: the notes
            # as they were after it (not scanning its HTML again: that was most of a hit's
            # time on a region page).
            if not notes.restore(entry["after"]):
                notes.scan(mark_safe(entry["html"]), link=False)
                linked = {code for code, has_ref in entry["after"] if has_ref}
                for note in notes.notes:
                    if note.country.iso_code in linked and not note.ref_id:
                        note.ref_id = ref_id(note.country)
            return mark_safe(entry["html"])
        with context.push(fragments.context_for_render()):
            html = call_with_room(self.nodelist.render, context)
        fragments.put(self.name, state, str(html), footnote_state(notes))
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% fragment %} takes one name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(template.Variable(bits[1]).resolve({}), nodelist)
