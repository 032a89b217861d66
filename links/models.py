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
