"""Finding the links in the content and recording where each one is.

The content is every Markdown field (richtext.fields.MarkdownField: the links a reader of the
rendered text can follow, after sanitising) and every URL field of the content apps' models:
among them a document's description and a library image's licence address (shown under the
image wherever it appears).

Beside the links it records the references (`Reference`): the objects of ours each field
refers to, i.e. the object a site link leads to (a document's page or file, a project's page)
and what a Markdown extension's own syntax names (a library image's `library:42`). "Where is
it used" reads them (links.usage), so nothing ever searches every text.
"""

from html.parser import HTMLParser

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalChanges

from richtext.fields import MarkdownField
from richtext.rendering import EXTENSIONS, render

from .internal import MISSING, RELATIVE, UNPUBLISHED, check_site_path, object_at, site_path
from .models import Link, LinkStatus, LinkUse, Reference

CONTENT_APPS = ("regions", "projects", "statistics", "pages", "documents", "library")


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": "href", "img": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.urls.append(value)


def links_in_markdown(text):
    """The addresses a reader of `text` can follow (in-page anchors, mailto: and tel: aside)."""
    parser = _Hrefs()
    parser.feed(render(text).html)
    return [
        url
        for url in dict.fromkeys(parser.urls)
        if not url.startswith("#") and not url.lower().startswith(("mailto:", "tel:"))
    ]


def link_fields(model):
    """`model`'s fields that hold links: its Markdown and URL fields."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, MarkdownField | models.URLField)
    ]


def content_models():
    """The content apps' models with link fields (their history copies aside)."""
    return [
        model
        for app_label in CONTENT_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not issubclass(model, HistoricalChanges) and link_fields(model)
    ]


def links_in(obj):
    """{field name: [url, ...]} for one object."""
    found = {}
    for field in link_fields(type(obj)):
        value = getattr(obj, field.attname) or ""
        if isinstance(field, MarkdownField):
            urls = links_in_markdown(value)
        else:
            urls = [value.strip()] if value.strip() else []
        if urls:
            found[field.name] = urls
    return found


def markdown_references(text):
    """(model, id) of each object `text` names in a Markdown extension's own syntax (an
    extension with a `references(text)` method, such as the media library's)."""
    found = []
    for extension in EXTENSIONS:
        references = getattr(extension, "references", None)
        if references is not None and text:
            found.extend(references(text))
    return found


def references_in(obj, links):
    """{(field name, model, id)} of the objects `obj` refers to: those its site links lead
    to (`links` as `links_in(obj)` gives them) and those its Markdown texts name."""
    found = set()
    for field, urls in links.items():
        for url in urls:
            path = site_path(url)
            target = object_at(path) if path else None
            if target is not None:
                found.add((field, type(target), target.pk))
    for field in link_fields(type(obj)):
        if isinstance(field, MarkdownField):
            text = getattr(obj, field.attname) or ""
            found.update((field.name, model, pk) for model, pk in markdown_references(text))
    return found


def check_internal(link):
    """Check a link to this site now (database queries only) and store the result."""
    reason = check_site_path(site_path(link.url) or link.url)
    link.status = LinkStatus.BROKEN if reason else LinkStatus.OK
    link.status_code = None
    link.message = _internal_message(reason)
    link.last_checked = timezone.now()
    link.save(update_fields=["status", "status_code", "message", "last_checked"])


def _internal_message(reason):
    return {
        None: "OK",
        MISSING: "No such page",
        UNPUBLISHED: "Not published",
        RELATIVE: "Relative link (should start with /)",
    }[reason]


@transaction.atomic
def record_links(obj):
    """Record where `obj` links to (replacing what was recorded for it); a new link to this
    site is checked at once, a new external one waits for `check_links`."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    found = links_in(obj)
    wanted = {(url, field) for field, urls in found.items() for url in urls}
    existing = {
        (use.link.url, use.field): use
        for use in LinkUse.objects.filter(
            content_type=content_type, object_id=obj.pk
        ).select_related("link")
    }
    stale = [use.pk for key, use in existing.items() if key not in wanted]
    LinkUse.objects.filter(pk__in=stale).delete()
    label = str(obj)[:300]
    for url, field in wanted - existing.keys():
        link, created = Link.objects.get_or_create(
            url=url[:2000], defaults={"is_internal": site_path(url) is not None}
        )
        if created and link.is_internal:
            check_internal(link)
        LinkUse.objects.create(
            link=link, content_type=content_type, object_id=obj.pk, field=field, object_label=label
        )
    LinkUse.objects.filter(content_type=content_type, object_id=obj.pk).exclude(
        object_label=label
    ).update(object_label=label)
    record_references(obj, references_in(obj, found))


def record_references(obj, found):
    """Make the references recorded for `obj` those in `found` ({(field, model, id)})."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    wanted = {
        (field, ContentType.objects.get_for_model(model).pk, pk) for field, model, pk in found
    }
    existing = {
        (reference.field, reference.target_type_id, reference.target_id): reference.pk
        for reference in Reference.objects.in_object(obj)
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Reference.objects.filter(pk__in=stale).delete()
    new = wanted - existing.keys()
    if new:
        Reference.objects.bulk_create(
            Reference(
                content_type=content_type,
                object_id=obj.pk,
                field=field,
                target_type_id=target_type_id,
                target_id=target_id,
            )
            for field, target_type_id, target_id in new
        )


def forget_links(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    LinkUse.objects.filter(content_type=content_type, object_id=obj.pk).delete()
    Reference.objects.in_object(obj).delete()


def scan_all():
    """Record the links and references of every content object again; drop links no longer
    used anywhere. Catches what no save signal saw (fixtures, bulk updates, a page created at
    an address a text already linked to). Returns the objects scanned."""
    scanned = 0
    for model in content_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        pks = []
        for obj in model._default_manager.all().iterator():
            record_links(obj)
            pks.append(obj.pk)
            scanned += 1
        LinkUse.objects.filter(content_type=content_type).exclude(object_id__in=pks).delete()
        Reference.objects.filter(content_type=content_type).exclude(object_id__in=pks).delete()
    Link.objects.filter(uses__isnull=True).delete()
    return scanned
