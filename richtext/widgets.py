"""The Markdown editor: the form widget of every Markdown field (richtext/fields.py), a textarea
with a toolbar, a live preview and the report of what the sanitiser removes and which links
lead nowhere."""

from django import forms
from django.templatetags.static import static
from django.urls import reverse

from .link_checks import link_problems
from .rendering import render

# The image chooser the toolbar's image button opens: set by the app that keeps the images
# (library/apps.py) through register_image_chooser(). Without one, or without JavaScript,
# the button inserts an image reference to complete by hand.
_image_chooser: dict = {}


def register_image_chooser(url_name: str, media: forms.Media) -> None:
    """Have the editor's image button open the chooser whose dialog is the view named
    `url_name`, run by the scripts of `media`: they answer the editor's `markdown-editor:image`
    event and insert with the `insertBlock` the event carries."""
    _image_chooser.update(url_name=url_name, media=media)


class MarkdownEditor(forms.Textarea):
    """A textarea, with a toolbar and a live preview where JavaScript runs (the server renders
    the preview, richtext/static/js/markdown-editor.js only asks for it). Without JavaScript it
    is the plain textarea and the preview of the text as last saved or posted."""

    template_name = "richtext/widgets/markdown_editor.html"
    # Set by the admin form when publishing would keep links to pages readers cannot open.
    ask_to_confirm_links = False

    @property
    def media(self):
        own = forms.Media(css={"all": ["css/markdown-editor.css"]}, js=["js/markdown-editor.js"])
        return own + _image_chooser["media"] if _image_chooser else own

    def __init__(self, attrs=None):
        super().__init__({"class": "vLargeTextField markdown-source", "rows": 14, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rendering = render(value)
        context["editor"] = {
            "preview_url": reverse("markdown-preview"),
            # The image toolbar button's chooser, if an app has one.
            "image_chooser_url": (reverse(_image_chooser["url_name"]) if _image_chooser else ""),
            # The public pages' stylesheet, for the preview (in a shadow root: it styles
            # nothing else of the admin page).
            "stylesheet_url": static("css/site.css"),
            "preview_html": rendering.html,
            "findings": rendering.findings,
            "link_problems": link_problems(value or ""),
            "confirm_name": confirm_links_name(name),
            "ask_to_confirm_links": self.ask_to_confirm_links,
        }
        return context


def confirm_links_name(field_name):
    """The checkbox the editor shows to publish in spite of links to unavailable pages."""
    return f"{field_name}-publish-with-broken-links"
