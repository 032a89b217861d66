from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


class LinkStatus(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked yet")
    OK = "ok", _("Works")
    BROKEN = "broken", _("Broken")
    SKIPPED = "skipped", _("Not checked")


class LinkQuerySet(models.QuerySet):
    def external(self):
        return self.filter(is_internal=False)

    def internal(self):
        return self.filter(is_internal=True)

    def in_use(self):
        return self.filter(uses__isnull=False).distinct()

    def due_for_check(self):
        """External links in use, those never checked first, then the longest unchecked."""
        return (
            self.external().in_use().order_by(models.F("last_checked").asc(nulls_first=True), "pk")
        )


class Link(models.Model):
    """One address linked from the content (an internal path such as /projects/x/, or an
    external URL), with the result of its last check."""

    url = models.CharField(_("address"), max_length=2000, unique=True)
    is_internal = models.BooleanField(_("on this site"))
    status = models.CharField(
        _("status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNCHECKED
    )
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    message = models.CharField(_("result"), max_length=500, blank=True)
    redirects_to = models.CharField(_("redirects to"), max_length=2000, blank=True)
    last_checked = models.DateTimeField(_("last checked"), null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["url"]

    def __str__(self):
        return self.url


class LinkUse(models.Model):
    """Where a link is: which field of which object links to it."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="uses")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    object_label = models.CharField(_("in"), max_length=300)
    field = models.CharField(_("field"), max_length=100)

    class Meta:
        verbose_name = _("link in content")
        verbose_name_plural = _("links in content")
        ordering = ["link__url", "content_type", "object_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["link", "content_type", "object_id", "field"], name="link_use_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="link_use_object")]

    def __str__(self):
        return f"{self.link.url} ({self.object_label}, {self.field})"

    def admin_url(self):
        """The admin change page of the object that holds the link ("" if it has none)."""
        try:
            return reverse(
                f"admin:{self.content_type.app_label}_{self.content_type.model}_change",
                args=[self.object_id],
            )
        except NoReverseMatch:
            return ""


class ReferenceQuerySet(models.QuerySet):
    def to(self, target):
        """The references to `target` (any model instance)."""
        return self.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )

    def in_object(self, obj):
        """The references recorded for `obj`'s fields."""
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=obj.pk)


class Reference(models.Model):
    """An object of ours that a field of the content refers to: a library image a Markdown
    text shows (`library:42`), or the page or stored file a site link leads to (a document's
    page or its file). Recorded on save beside the links, so "where is it used" is a query
    on `target`, never a search through every text."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=100)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference in content")
        verbose_name_plural = _("references in content")
        ordering = ["content_type", "object_id", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "target_type", "target_id"],
                name="reference_unique",
            )
        ]
        # "Where is it used" looks up by target; an object's own references are found
        # through the unique constraint's index, which begins with the object.
        indexes = [models.Index(fields=["target_type", "target_id"], name="reference_target")]

    def __str__(self):
        return (
            f"{self.content_type.model} {self.object_id} ({self.field}) -> "
            f"{self.target_type.model} {self.target_id}"
        )
