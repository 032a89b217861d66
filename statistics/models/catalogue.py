"""The catalogue of what the portal publishes figures about: sources, indicators, and the
other names sources write areas by. Observations (the figures) are in observations.py."""

from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from formatting.periods import validate_period_point
from regions.models import Country
from richtext.fields import MarkdownField

from .observations import Observation, ObservationStatus, public_observation_q


class Source(models.Model):
    """The authority a figure comes from, and the terms its figures are published under.

    A figure belongs to its source: the page, the CSV's sidecar and the JSON attribute it to
    `publisher` under the source's own `licence` or `terms`. The portal's data licence
    (SiteSettings) covers only the portal's own compilations (`is_own_compilation`).
    """

    name = models.CharField(_("name"), max_length=300, unique=True)
    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Short code used in data files.")
    )
    url = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    publisher = models.CharField(
        _("publisher"),
        max_length=300,
        blank=True,
        help_text=_("Who publishes these figures, as they name themselves, e.g. IOM."),
    )
    is_own_compilation = models.BooleanField(
        _("the portal's own compilation"),
        default=False,
        help_text=_(
            "Tick only for figures the portal compiles itself: they fall under the portal's "
            "data licence. Everything else is under the source's own licence or terms."
        ),
    )
    licence = models.CharField(
        _("licence"),
        max_length=120,
        blank=True,
        help_text=_("The licence the source states, e.g. CC BY 4.0. Blank if it states none."),
    )
    licence_url = models.URLField(_("licence or terms URL"), blank=True)
    terms = models.TextField(
        _("terms of use"),
        blank=True,
        help_text=_(
            "The source's terms of use in a sentence, when it states no licence (or to add "
            "to it). Blank if the source says nothing: the site then says so."
        ),
    )
    citation = models.TextField(
        _("how to cite"),
        blank=True,
        help_text=_("The citation the source asks for, word for word. Blank if it asks none."),
    )
    edition = models.CharField(
        _("release or edition"),
        max_length=120,
        blank=True,
        help_text=_(
            "The release the figures come from, as the source names it, e.g. “2025.12.1” or "
            "“Global Trends 2025”. Blank if the source names none."
        ),
    )
    reference_date = models.DateField(
        _("published or presented on"),
        null=True,
        blank=True,
        help_text=_(
            "The date the source published or presented these figures (as of), shown with "
            "each figure. Blank if unknown."
        ),
    )

    class Manager(models.Manager):
        def get_by_natural_key(self, code):
            return self.get(code=code)

    objects = Manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('statistics:indicator-list')}#sources"

    def natural_key(self):
        return (self.code,)

    @property
    def licence_name_and_url(self):
        """(name, url) of the licence the source states, or None (terms, or nothing, instead).
        An own compilation's licence is the site settings': see `statistics.attribution`."""
        return (self.licence, self.licence_url) if self.licence else None

    @property
    def terms_url(self):
        """The URL of the source's terms of use when it names no licence (`licence_url`)."""
        return "" if self.licence else self.licence_url

    @property
    def states_terms(self):
        """Whether anyone may know under what terms these figures are published."""
        return bool(self.is_own_compilation or self.licence or self.terms or self.licence_url)


class IndicatorQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(is_featured=True)

    def public(self):
        """Indicators with at least one public figure: what catalogues list as datasets. An
        indicator whose figures are all in draft areas or staged releases is left out. One
        EXISTS subquery: it stops at the first public figure, no counting."""
        public = Observation.objects.public().filter(indicator=OuterRef("pk"))
        return self.filter(Exists(public))

    def with_public_periods(self, area=None):
        """Annotated with `first_period` (the earliest starting) and `last_period` (the latest
        ending) of the indicator's public observations, of `area` only if given: "periods
        covered" reads from the first's start to the last's end ("2016 – May 2025")."""
        periods = Observation.objects.public().filter(indicator=OuterRef("pk"))
        if isinstance(area, Country):  # as its page shows it (`shown_for_country`)
            periods = periods.shown_for_country(area)
        elif area is not None:
            periods = periods.for_area(area)
        periods = periods.values("period")
        return self.annotate(
            first_period=Subquery(periods.order_by("period_start", "period_end")[:1]),
            last_period=Subquery(periods.order_by("-period_end", "-period_start")[:1]),
        )

    def with_public_counts(self):
        """Annotated with what the public may know of each indicator's observations (those
        of public areas, see `ObservationQuerySet.public()`): `observation_count`,
        `provisional_count`, `estimated_count`, `latest_end` and `latest_change` (when one of
        them last changed).

        One grouped join that keeps indicators without public values (a WHERE clause would
        drop them), the rule a filter on each aggregate. The status test comes first so the
        area test runs only for provisional rows.
        """
        public = public_observation_q("observations__")
        provisional = Q(observations__status=ObservationStatus.PROVISIONAL)
        estimated = Q(observations__status=ObservationStatus.ESTIMATED)
        return self.annotate(
            observation_count=Count("observations", filter=public),
            latest_end=Max("observations__period_end", filter=public),
            latest_change=Max("observations__updated_at", filter=public),
            provisional_count=Count("observations", filter=provisional & public),
            estimated_count=Count("observations", filter=estimated & public),
        )

    def with_data_version(self):
        """Annotated with `public_observation_count` and `latest_change` (when one of them
        last changed) of each indicator's public observations: what a file drawn from its
        data (the share image) is keyed by. Two subqueries, no grouping of the indicators."""
        public = Observation.objects.public().filter(indicator=OuterRef("pk")).order_by()
        return self.annotate(
            public_observation_count=Subquery(
                public.values("indicator").annotate(count=Count("pk")).values("count")
            ),
            latest_change=Subquery(public.order_by("-updated_at").values("updated_at")[:1]),
        )


class IndicatorManager(models.Manager.from_queryset(IndicatorQuerySet)):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Indicator(models.Model):
    code = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("e.g. arrivals-registered")
    )
    name = models.CharField(_("name"), max_length=200)
    description = MarkdownField(_("description"), blank=True)
    unit = models.CharField(
        _("unit"), max_length=40, help_text=_("What one counts: people, %, places, returns.")
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), default=0, help_text=_("Decimal places shown on the site (0-4).")
    )
    breakdown_label = models.CharField(
        _("breakdown label"),
        max_length=80,
        blank=True,
        help_text=_("What the category of a breakdown is, e.g. Nationality. Blank if none."),
    )
    is_featured = models.BooleanField(
        _("key figure"), default=False, help_text=_("Shown among a region's key figures.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    next_update = models.CharField(
        _("next expected update"),
        max_length=10,
        blank=True,
        validators=[validate_period_point],
        help_text=_(
            "When the source announces its next figures, as an ISO 8601 period: 2026, "
            "2026-06, 2026-Q3 or 2026-06-30. Blank if not announced (the page says so)."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = IndicatorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(decimals__lte=4), name="indicator_decimals_max_4")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("statistics:indicator-detail", kwargs={"code": self.code})

    def natural_key(self):
        return (self.code,)

    @property
    def is_percentage(self):
        return self.unit.strip() == "%"


class AreaNameManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class AreaName(models.Model):
    """One more way sources write a country: a code (ISO3 `SRB`, World Bank `XKX`), an old
    form ("Turkey") or a name in another language ("Srbija"). Import profiles read files
    through this table, so each profile lists only its own exceptions."""

    name = models.CharField(
        _("name or code"),
        max_length=200,
        unique=True,
        help_text=_("As a source writes it. Matching ignores case and extra spaces, not accents."),
    )
    language = models.CharField(
        _("language"),
        max_length=20,
        blank=True,
        help_text=_("e.g. en, sl, sr, mk, sq, tr; blank for a code such as SRB."),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        related_name="other_names",
        verbose_name=_("country"),
    )
    also_covers = models.ManyToManyField(
        Country,
        blank=True,
        related_name="shared_area_names",
        verbose_name=_("also covers"),
        help_text=_(
            "Other areas this name takes in, e.g. Kosovo* for “Serbia and Kosovo: S/RES/1244 "
            "(1999)”. A figure under this name is shown on their pages too, under this name, "
            "and is never taken as theirs alone."
        ),
    )
    history = HistoricalRecords()

    objects = AreaNameManager()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("area name")
        verbose_name_plural = _("area names")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)
