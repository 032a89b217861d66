from django.apps import AppConfig


class RichTextConfig(AppConfig):
    """Long texts written in Markdown: the model field and its editor, the sanitiser that
    turns a text into safe HTML (`{{ text|markdown }}` after `{% load richtext %}`), the live
    preview and the check of links before a text goes public.

    It knows no other app of the site: apps add to it from their own ready(), the media
    library its images (rendering.register_extension, widgets.register_image_chooser), the
    links app its check of links to this site (link_checks.register_link_check)."""

    name = "richtext"
    verbose_name = "Rich text"
