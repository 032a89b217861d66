import copy
import secrets

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iati.codelists import organisation_type_choices
from iati.fields import validate_organisation_identifier
from library.models import image_field
from pagecache import data_generation, is_pending
from publishing.models import Publishable, PublishableQuerySet
from publishing.snapshots import in_rolled_back_block
from richtext.fields import MarkdownField

from .validators import (
    image_kind,
    parse_social_links,
    validate_logo,
    validate_share_image,
    validate_social_links,
)

# The one row of SiteSettings.
SITE_SETTINGS_PK = 1
DEFAULT_LICENCE_NAME = "CC BY 4.0"
DEFAULT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


class PageManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Page(Publishable):
    """A simple editable page: About, Imprint, Privacy, Data licence, Methodology."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence: the page's description for search engines and sharing."),
    )
    body = MarkdownField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = PageManager()
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        permissions = [("publish_page", _("Can publish and unpublish pages"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:page-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


def footer_page_field(label):
    return models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
        help_text=_("Linked from every page's footer while it is published."),
    )


FOOTER_PAGE_FIELDS = (
    "about_page",
    "imprint_page",
    "privacy_page",
    "licence_page",
    "methodology_page",
)


_BRAND_EXTENSIONS = {"svg": "svg", "png": "png", "jpeg": "jpg"}


def _brand_path(field_file):
    """brand/<random>.<extension of the type found in the content>: never the name or the
    extension the uploader chose (`evil.html` holding an SVG is stored as .svg)."""
    field_file.file.seek(0)
    kind = image_kind(field_file.file.read(4096))
    field_file.file.seek(0)
    # "bin" only when a caller stores a file bypassing the validators; it is never served.
    return f"brand/{secrets.token_urlsafe(18)}.{_BRAND_EXTENSIONS.get(kind, 'bin')}"


def logo_path(site_settings, filename):
    return _brand_path(site_settings.logo)


def share_image_path(site_settings, filename):
    return _brand_path(site_settings.share_image)


def brand_file_content_type(field_file):
    """The image type to serve a stored brand file with, from its bytes; None if it is none
    of SVG, PNG, JPEG (then it is not served at all, never with a guessed type)."""
    with field_file.open("rb") as handle:
        kind = image_kind(handle.read(4096))
    return {"svg": "image/svg+xml", "png": "image/png", "jpeg": "image/jpeg"}.get(kind)


class SiteSettingsQuerySet(models.QuerySet):
    def current(self):
        """The site's settings: the one stored row, or the defaults (unsaved) if it is gone,
        so a page never fails for want of it. One query, the footer's pages joined in; none
        while the page cache's data generation is the one it was read under (every save of
        the settings, a page or an image moves it), as every page reads them. Not kept from
        a read that may show uncommitted writes: under a pending generation, or inside a
        preview's rolled-back block (it makes drafts public without a signal)."""
        global _kept_settings
        generation = None
        if self.db == DEFAULT_DB_ALIAS and not in_rolled_back_block():
            generation = data_generation()
            if generation is not None and is_pending(generation):
                generation = None
        kept_generation, kept = _kept_settings
        if generation is not None and kept_generation == generation:
            return copy.copy(kept)
        found = (
            self.filter(pk=SITE_SETTINGS_PK)
            .select_related(*FOOTER_PAGE_FIELDS, "logo_image", "default_share_image")
            .defer(*[f"{name}__body" for name in FOOTER_PAGE_FIELDS])
            .first()
        ) or self.model(pk=SITE_SETTINGS_PK)
        if generation is not None:
            _kept_settings = (generation, copy.copy(found))
        return found


# This process's copy of the site settings and the data generation it was read under.
_kept_settings: tuple[str | None, "SiteSettings | None"] = (None, None)


class SiteSettings(models.Model):
    """Who publishes the portal: one row (created by the migration), edited in the admin."""

    organisation_name = models.CharField(
        _("organisation name"),
        max_length=200,
        default="ICMPD",
        help_text=_("As shown in the header, the footer and the page titles."),
    )
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        default="ICMPD",
        help_text=_("e.g. ICMPD: used in “ICMPD Member State since 2012” and the icon."),
    )
    logo = models.FileField(
        _("logo"),
        upload_to=logo_path,
        blank=True,
        validators=[validate_logo],
        help_text=_(
            "SVG (without scripts or links to other files), PNG or JPEG. Blank: the name is "
            "shown as a text wordmark."
        ),
    )
    logo_image = image_field(
        _("logo from the media library"),
        _(
            "Takes the place of the uploaded logo above when chosen (PNG, JPEG or WebP; "
            "an SVG logo is uploaded above)."
        ),
    )
    address = models.TextField(_("postal address"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    social_links = models.TextField(
        _("social media links"),
        blank=True,
        validators=[validate_social_links],
        help_text=_("One a line: the name, a space, the address. e.g. LinkedIn https://..."),
    )
    data_licence_name = models.CharField(
        _("data licence"),
        max_length=100,
        default=DEFAULT_LICENCE_NAME,
        help_text=_("Licence of the portal's own compilations of figures, e.g. CC BY 4.0."),
    )
    data_licence_url = models.URLField(
        _("data licence address"), default=DEFAULT_LICENCE_URL, max_length=300
    )
    share_image = models.FileField(
        _("default share image"),
        upload_to=share_image_path,
        blank=True,
        validators=[validate_share_image],
        help_text=_(
            "PNG or JPEG, 1200 x 630 pixels, shown when a page is shared on social networks. "
            "Blank: the portal's wordmark image."
        ),
    )
    default_share_image = image_field(
        _("share image from the media library"),
        _(
            "Shown when a page without an image of its own is shared; takes the place of the "
            "uploaded share image above. Best 1200 x 630 pixels."
        ),
    )
    iati_organisation_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[validate_organisation_identifier],
        help_text=_(
            "The publisher's identifier as registered with IATI, e.g. XM-DAC-47066: the "
            "reporting organisation of the IATI file. Blank: no IATI file is published."
        ),
    )
    iati_organisation_type = models.CharField(
        _("IATI organisation type"),
        max_length=10,
        blank=True,
        choices=organisation_type_choices,
        help_text=_("From IATI's OrganisationType code list, e.g. 40 Multilateral."),
    )
    about_page = footer_page_field(_("About page"))
    imprint_page = footer_page_field(_("Imprint / legal notice page"))
    privacy_page = footer_page_field(_("Privacy page"))
    licence_page = footer_page_field(_("Data licence page"))
    methodology_page = footer_page_field(_("Methodology page"))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = SiteSettingsQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=SITE_SETTINGS_PK), name="site_settings_single_row"
            )
        ]

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        self.pk = SITE_SETTINGS_PK
        super().save(*args, **kwargs)

    @property
    def logo_is_svg(self):
        return bool(self.logo) and self.logo.name.lower().endswith(".svg")

    @property
    def file_version(self):
        """A cache-busting token for the brand files' URLs: changes whenever the settings do."""
        return f"{self.updated_at:%Y%m%d%H%M%S%f}" if self.updated_at else "0"

    def social_link_list(self):
        """[(name, url), ...] from the social links text."""
        return parse_social_links(self.social_links)

    def footer_pages(self):
        """(label, page) of the footer's pages that are public now, in footer order."""
        now = timezone.now()
        pages = []
        for name in FOOTER_PAGE_FIELDS:
            page = getattr(self, name)
            if page is not None and page.is_live_at(now):
                pages.append(page)
        return pages
