from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from library.models import image_field
from publishing.models import Publishable, PublishableQuerySet
from richtext.fields import MARKDOWN_HELP, MarkdownField

# The organisation was founded in 1993: no state can have joined before.
FIRST_MEMBERSHIP_YEAR = 1993

iso_alpha2_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1 alpha-2, e.g. RS (XK for Kosovo).")
)
region_code_validator = RegexValidator(
    r"^[A-Z]{2,6}$", _("Use 2 to 6 capital letters, e.g. WB or WBT.")
)


def _is_staff(user):
    return bool(user is not None and user.is_authenticated and user.is_staff)


class CountryQuerySet(PublishableQuerySet):
    def with_footnote(self):
        return self.exclude(footnote="")

    def public(self):
        """Published countries of at least one published region: those with a public page."""
        return self.live().filter(
            Exists(Region.objects.published().filter(countries=OuterRef("pk")))
        )

    def visible_to(self, user):
        return self.all() if _is_staff(user) else self.public()


class CountryManager(models.Manager.from_queryset(CountryQuerySet)):
    def get_by_natural_key(self, iso_code):
        return self.get(iso_code=iso_code)


class Country(Publishable):
    name = models.CharField(_("name"), max_length=100, unique=True)
    local_name = models.CharField(
        _("name in the local language"),
        max_length=100,
        blank=True,
        help_text=_("As written locally, in its own script, e.g. Crna Gora, Србија."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    iso_code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[iso_alpha2_validator],
        help_text=_("ISO 3166-1 alpha-2 code; XK for Kosovo."),
    )
    footnote = models.TextField(
        _("footnote"),
        blank=True,
        help_text=_(
            "Shown wherever the name appears, marked with an asterisk "
            "(e.g. the UNSCR 1244/99 note for Kosovo*)."
        ),
    )
    member_state_since = models.PositiveSmallIntegerField(
        _("member state since"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_MEMBERSHIP_YEAR), MaxValueValidator(2100)],
        help_text=_("Year it became a member state of the organisation; blank if it is not one."),
    )
    profile = MarkdownField(
        _("profile"),
        blank=True,
        help_text=format_lazy(
            "{} {}",
            _("A short profile shown at the top of the country page; blank: none shown."),
            MARKDOWN_HELP,
        ),
    )
    hero_image = image_field(
        _("hero image"),
        _("A wide image at the top of the country page, cropped to 16:9 around its focal point."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = CountryManager()
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        permissions = [("publish_country", _("Can publish and unpublish countries"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(member_state_since__isnull=True)
                | Q(member_state_since__gte=FIRST_MEMBERSHIP_YEAR, member_state_since__lte=2100),
                name="country_member_year_plausible",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("regions:country-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.iso_code,)

    @property
    def display_name(self):
        """The name as published: Kosovo* carries its footnote marker."""
        return f"{self.name}*" if self.footnote else self.name

    @property
    def is_member_state(self):
        return self.member_state_since is not None


class RegionManager(models.Manager.from_queryset(PublishableQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Region(Publishable):
    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    code = models.CharField(
        _("code"),
        max_length=6,
        unique=True,
        validators=[region_code_validator],
        help_text=_("Short code used in data files, e.g. WB or WBT."),
    )
    summary = models.TextField(
        _("summary"), help_text=_("One or two sentences: the lead of the page and its description.")
    )
    body = MarkdownField(_("overview"), blank=True)
    countries = models.ManyToManyField(
        Country, related_name="regions", verbose_name=_("countries"), blank=True
    )
    hero_image = image_field(
        _("hero image"),
        _("A wide image at the top of the region page, cropped to 16:9 around its focal point."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = RegionManager()
    history = HistoricalRecords(m2m_fields=[countries])

    # Edited in the region form (inlines): a proposed change of the region includes them.
    revision_children = ("approach_sections", "offices", "contacts")

    class Meta(Publishable.Meta):
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        permissions = [("publish_region", _("Can publish and unpublish regions"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("regions:region-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class ApproachSectionManager(models.Manager):
    def get_by_natural_key(self, region_slug, title):
        return self.get(region__slug=region_slug, title=title)


class ApproachSection(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="approach_sections", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=200)
    body = MarkdownField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ApproachSectionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "order", "pk"]
        verbose_name = _("approach section")
        verbose_name_plural = _("approach sections")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "title"], name="approach_title_unique_in_region"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.region.get_absolute_url()}#approach"

    def natural_key(self):
        return (self.region.slug, self.title)

    natural_key.dependencies = ["regions.region"]


class OfficeQuerySet(PublishableQuerySet):
    def public(self):
        """Published offices of published regions."""
        return self.live().filter(region__in=Region.objects.published())

    def in_region(self, region):
        """Offices located in the region's countries, the regional seat first."""
        return (
            self.filter(country__regions=region)
            .select_related("country", "region")
            .order_by("-is_regional_seat", "country__name", "city")
            .distinct()
        )

    def for_map(self):
        """Only what a map marker needs: position, city, whether it is the seat, and the
        slug its link to the office's card is made of."""
        return self.filter(latitude__isnull=False, longitude__isnull=False).only(
            "slug", "city", "latitude", "longitude", "is_regional_seat"
        )


class OfficeManager(models.Manager.from_queryset(OfficeQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Office(Publishable):
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="offices",
        verbose_name=_("region"),
        help_text=_("The regional structure this office belongs to."),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="offices", verbose_name=_("country")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    city = models.CharField(_("city"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_regional_seat = models.BooleanField(_("regional seat"), default=False)
    # Where the office is marked on the region map; blank: not marked. Degrees (WGS 84).
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Decimal degrees north, e.g. 44.8178 for Belgrade. Blank: not on the map."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Decimal degrees east, e.g. 20.4569 for Belgrade."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = OfficeManager()
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["country__name", "city", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        permissions = [("publish_office", _("Can publish and unpublish offices"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_regional_seat=True),
                name="one_regional_seat_per_region",
                violation_error_message=_("This region already has a regional seat."),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="office_coordinates_pair_in_range",
                violation_error_message=_(
                    "Give both latitude and longitude (in range), or neither."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('regions:contacts')}#office-{self.slug}"

    def natural_key(self):
        return (self.slug,)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class ContactQuerySet(PublishableQuerySet):
    def public(self):
        """Contacts the public sees now: approved and due, of a published region."""
        return self.live().filter(region__in=Region.objects.published())

    def region_wide(self):
        return self.filter(office__isnull=True)

    def listed(self):
        """Public contacts the contacts page shows: region-wide ones and those of a public
        office (a contact of a draft office is on no public page)."""
        return self.public().filter(Q(office__isnull=True) | Q(office__in=Office.objects.public()))


class ContactManager(models.Manager.from_queryset(ContactQuerySet)):
    def get_by_natural_key(self, region_slug, name):
        return self.get(region__slug=region_slug, name=name)


class Contact(Publishable):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("region")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("office"),
        help_text=_("Blank for a region-wide role such as the Special Representative."),
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    portrait = image_field(
        _("portrait"),
        _(
            "A photo of the person, shown square (cropped around its focal point); only with "
            "their consent."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = ContactManager()
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["display_order", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        permissions = [("publish_contact", _("Can publish and unpublish contacts"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.UniqueConstraint(fields=["region", "name"], name="contact_unique_in_region"),
        ]

    def __str__(self):
        return f"{self.name}, {self.role}"

    def get_absolute_url(self):
        return f"{reverse('regions:contacts')}#contact-{self.pk}"

    def clean(self):
        super().clean()
        if self.office_id and self.region_id and self.office.region_id != self.region_id:
            raise ValidationError(
                {"office": _("Choose an office of the contact's region, or leave it blank.")}
            )

    def natural_key(self):
        return (self.region.slug, self.name)

    natural_key.dependencies = ["regions.region", "regions.office"]
