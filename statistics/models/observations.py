"""Observations (the figures), what a status or qualifier says of one, and the one rule
for which of them the public sees (`public_observation_q`, `ObservationQuerySet.public()`)."""

from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Now, RowNumber
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from formatting.periods import parse_period, validate_period
from publishing.models import can_preview
from regions.models import Country, Region

from .releases import DataRelease


class ObservationStatus(models.TextChoices):
    """What the source says of a value. "Final" only where the source says so; a value whose
    source says nothing is "as published" (no marker). The last two record a cell the
    source publishes without a number: the value is then empty, never an invented zero."""

    AS_PUBLISHED = "as_published", _("As published")
    FINAL = "final", _("Final")
    PROVISIONAL = "provisional", _("Provisional")
    ESTIMATED = "estimated", _("Estimated")
    NOT_AVAILABLE = "not_available", _("Not available")
    SUPPRESSED = "suppressed", _("Suppressed")


# Statuses of a cell that has no number.
STATUSES_WITHOUT_VALUE = (ObservationStatus.NOT_AVAILABLE, ObservationStatus.SUPPRESSED)

# What each status tells a reader (the JSON download and docs/staff/data.md list them).
STATUS_MEANINGS = {
    ObservationStatus.AS_PUBLISHED: _(
        "The value as the source publishes it; the source says nothing of its status."
    ),
    ObservationStatus.FINAL: _("The source states that the value is final."),
    ObservationStatus.PROVISIONAL: _(
        "The source marks the value as provisional (non-final): it may still be revised."
    ),
    ObservationStatus.ESTIMATED: _("The source marks the value as an estimate."),
    ObservationStatus.NOT_AVAILABLE: _(
        "The source publishes no figure for this cell: there is no value, and it is not zero."
    ),
    ObservationStatus.SUPPRESSED: _(
        "The source withholds this figure (e.g. for confidentiality): there is no value, "
        "and it is not zero."
    ),
}


class ValueQualifier(models.TextChoices):
    """How the source qualifies a number: "+1,200" is "more than 1,200"."""

    EXACT = "", _("(none)")
    MORE_THAN = "more_than", _("more than")
    LESS_THAN = "less_than", _("less than")
    ABOUT = "about", _("about")


QUALIFIER_MEANINGS = {
    ValueQualifier.MORE_THAN: _('The true figure is above the value: the source writes "+1,200".'),
    ValueQualifier.LESS_THAN: _('The true figure is below the value: "<5".'),
    ValueQualifier.ABOUT: _('The source gives the value as approximate: "about 300", "~300".'),
}


# Long texts of an observation's related rows that observation lists never show.
LONG_TEXTS_OF_RELATED = (
    "indicator__description",
    "region__summary",
    "region__body",
    "region__review_note",
    "source__description",
)


def area_is_public_q(prefix=""):
    """Half of `public_observation_q()`: the observation's area is public, i.e. a region
    published now, or a country of at least one such region (`Country.objects.public()`).
    Both are `IN (subquery)` on the observation's own area column, so the indexes that lead
    with the indicator still serve, and no row costs a query of its own."""
    return Q(**{f"{prefix}region__in": Region.objects.published()}) | Q(
        **{f"{prefix}country__in": Country.objects.public()}
    )


def release_is_public_q(prefix=""):
    """Half of `public_observation_q()`: the observation belongs to no data release (direct
    imports, hand edits, legacy rows), or to one whose `release_at` has come. Compared with
    `timezone.now()` when the query is built (each request), as `publish_at` is: a scheduled
    release appears without anyone acting."""
    return Q(**{f"{prefix}release__isnull": True}) | Q(
        **{f"{prefix}release__in": DataRelease.objects.released()}
    )


def public_observation_q(prefix=""):
    """The condition behind `ObservationQuerySet.public()`, for a query that reaches
    observations through a relation (`prefix`, e.g. "observations__").

    An observation is public when its area is public and its data release (if any) is
    released. Every anonymous path (pages, charts, key figures, counts, downloads) reads
    through this or `public()`: there is no other rule to keep in step.
    """
    return area_is_public_q(prefix) & release_is_public_q(prefix)


def shared_with_q(country):
    """Observations filed under another country with an `area_label` that is a shared name
    of that country (AreaName) taking `country` in too (`also_covers`). Exact text, as the
    importer writes the label from the file. One EXISTS subquery, no query per row."""
    # catalogue imports this module: imported here, when the query is built
    from .catalogue import AreaName

    shared = AreaName.objects.filter(
        also_covers=country, name=OuterRef("area_label"), country=OuterRef("country")
    )
    return ~Q(area_label="") & Q(Exists(shared))


class ObservationQuerySet(models.QuerySet):
    def public(self):
        """Only observations of public areas and released data: what every anonymous page,
        download and key figure shows. A draft or scheduled region's figures, those of a
        country that belongs to no published region, and a data release not yet due stay
        out (with their notes, sources and names)."""
        return self.filter(public_observation_q())

    def visible_to(self, user):
        """What the region and country pages show `user` (staff previews, never cached):
        draft areas' figures for staff who may preview draft regions, staged data releases
        for staff who may view releases (annotated `is_released`, False: marked on the
        page), otherwise `public()`."""
        condition = Q()
        if not can_preview(user, Region):
            condition &= area_is_public_q()
        if can_preview(user, DataRelease):
            released = ExpressionWrapper(release_is_public_q(), output_field=BooleanField())
            return self.filter(condition).annotate(is_released=released)
        return self.filter(condition & release_is_public_q())

    def for_area(self, area):
        if isinstance(area, Region):
            return self.filter(region=area)
        return self.filter(country=area)

    def shown_for_country(self, country):
        """The figures a country's page shows: its own, and those a source gives under a
        name that takes the country in with another (UNHCR's "Serbia and Kosovo: S/RES/1244
        (1999)", filed under Serbia, on Kosovo*'s page too: `AreaName.also_covers`). Such a
        figure keeps its `area_label`, so pages show it under the source's name, never as
        the country's alone. One query: the shared names are a subquery."""
        return self.filter(Q(country=country) | shared_with_q(country))

    def area_codes(self):
        """The codes of the areas of these observations (a country's ISO code, a region's
        code), in code order: one query."""
        rows = self.order_by().values_list("country__iso_code", "region__code").distinct()
        return sorted({country or region for country, region in rows if country or region})

    def with_related(self):
        """With each row's indicator, area and source, minus their long texts (a region's
        overview, descriptions): no list of observations shows them, and fetching them with
        every row was up to half the time of these queries."""
        return self.select_related("indicator", "country", "region", "source").defer(
            *LONG_TEXTS_OF_RELATED
        )

    def latest_totals(self, limit):
        """Each area's `limit` latest totals (by period end, then start), in one query.

        Each row carries `area_total_count`: how many totals its area has in all, so a page
        can say how many are not shown.
        """
        area = [F("region_id"), F("country_id")]
        return (
            self.filter(category="")
            .annotate(
                recency=Window(
                    RowNumber(),
                    partition_by=area,
                    order_by=[F("period_end").desc(), F("period_start").desc()],
                ),
                area_total_count=Window(Count("pk"), partition_by=area),
            )
            .filter(recency__lte=limit)
        )

    def latest_breakdowns(self):
        """Each area's breakdown rows (categories) of its latest period end, in one query."""
        return (
            self.exclude(category="")
            .annotate(
                area_latest_end=Window(
                    Max("period_end"), partition_by=[F("region_id"), F("country_id")]
                )
            )
            .filter(period_end=F("area_latest_end"))
        )

    def latest_per_indicator(self, area, indicators=None, shared=False):
        """The latest observation of each indicator for an area.

        "Latest" is the most recent period end; a breakdown (categories) keeps all rows of
        that latest period. Used by the key figures of the home, region and country pages.
        Both queries keep this queryset's own filters: `public().latest_per_indicator(...)`
        picks the latest public period, never a hidden one.

        Two queries, each a few index probes whatever the number of observations (indexes
        `obs_indicator_region_end` / `obs_indicator_country_end`): first each indicator's
        latest period end for the area (one probe an indicator), then the rows at those
        ends. A single query with a correlated subquery in the WHERE clause made PostgreSQL
        evaluate the subquery once per observation of the area (55,000 for a country of the
        benchmark: 0.5 s). The first query runs when this is called.

        `shared=True` (a country's page): the country's figures as `shown_for_country` has
        them, those under a source's name that takes it in with another country too.
        """
        indicator_model = self.model._meta.get_field("indicator").related_model
        scope = indicator_model.objects.all() if indicators is None else indicators

        def of_area(observations):
            if shared and isinstance(area, Country):
                return observations.shown_for_country(area)
            return observations.for_area(area)

        latest_end = (
            of_area(self)
            .filter(indicator=OuterRef("pk"))
            .order_by("-period_end")
            .values("period_end")[:1]
        )
        ends = (
            scope.annotate(latest_end=Subquery(latest_end))
            .filter(latest_end__isnull=False)
            .values_list("pk", "latest_end")
        )
        by_end = {}  # one condition a distinct end date (few), not one an indicator
        for indicator_id, end in ends:
            by_end.setdefault(end, []).append(indicator_id)
        wanted = Q()
        for end, indicator_ids in by_end.items():
            wanted |= Q(period_end=end, indicator_id__in=indicator_ids)
        if not wanted:
            return self.none()
        # The area is the caller's own: not joined again. Long texts nobody shows here
        # (descriptions) are left in the database: on the home page they were half the time
        # of fetching these rows.
        return (
            of_area(self)
            .filter(wanted)
            .select_related("indicator", "source")
            .defer("indicator__description", "source__description")
            .order_by("indicator__order", "indicator__name", "-value", "category")
        )


class ObservationManager(models.Manager.from_queryset(ObservationQuerySet)):
    def get_by_natural_key(self, indicator_code, area_code, period, category):
        area = Q(country__iso_code=area_code) | Q(region__code=area_code)
        return self.get(area, indicator__code=indicator_code, period=period, category=category)


class Observation(models.Model):
    Status = ObservationStatus

    indicator = models.ForeignKey(
        "Indicator",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name=_("indicator"),
    )
    # The area is a country or a whole region: exactly one of the two is set.
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("country"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("region"),
    )
    period = models.CharField(
        _("period"),
        max_length=23,
        validators=[validate_period],
        help_text=validate_period.help_text,
    )
    # Derived from `period` on save (and by the importer): what sorting and "latest" use.
    period_start = models.DateField(_("period start"), editable=False)
    period_end = models.DateField(_("period end"), editable=False)
    category = models.CharField(
        _("category"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("The breakdown value, e.g. a nationality. Blank for a total."),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Empty only for a cell the source marks not available or suppressed."),
    )
    qualifier = models.CharField(
        _("qualifier"),
        max_length=12,
        blank=True,
        default=ValueQualifier.EXACT,
        choices=ValueQualifier.choices,
        help_text=_('As the source qualifies the number: "+1,200" is "more than".'),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObservationStatus.choices,
        default=ObservationStatus.AS_PUBLISHED,
    )
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("source"),
    )
    note = models.TextField(_("note"), blank=True)
    # The area as the source names it, when that is not simply the portal's area: UNHCR's
    # "Serbia and Kosovo: S/RES/1244 (1999)" filed under Serbia. Pages show it instead of the
    # area's name, and derived figures never combine it with a figure of the area alone.
    area_label = models.CharField(
        _("area as the source names it"),
        max_length=200,
        blank=True,
        default="",
        help_text=_(
            "Blank when the source's area is the portal's. Otherwise the source's own name for "
            "it, e.g. “Serbia and Kosovo: S/RES/1244 (1999)”."
        ),
    )
    # Set only by the portal's own computation (statistics.derived): figures of a derived
    # indicator are computed from other indicators, never typed in or imported.
    is_derived = models.BooleanField(_("computed by the portal"), default=False, editable=False)
    # Staged data (an embargo): public only once its release is due (release_is_public_q).
    # Blank: public with its area. PROTECT: deleting a release must never publish its rows.
    release = models.ForeignKey(
        "DataRelease",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("data release"),
        help_text=_("A staged import: public only from the release's time."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = ObservationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator__order", "indicator__name", "-period_end", "category"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [
            models.Index(fields=["indicator", "period_end"], name="obs_indicator_period"),
            # An area's latest period of an indicator (key figures): one index probe each.
            models.Index(
                fields=["indicator", "region", "period_end"], name="obs_indicator_region_end"
            ),
            models.Index(
                fields=["indicator", "country", "period_end"], name="obs_indicator_country_end"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(region__isnull=True))
                | (Q(country__isnull=True) & Q(region__isnull=False)),
                name="observation_one_area",
                violation_error_message=_("Choose either a country or a region, not both."),
            ),
            # Two partial unique indexes: one key per area kind. `category` is never NULL
            # (blank is ''), so a total is unique too, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                fields=["indicator", "country", "period", "category"],
                condition=Q(country__isnull=False),
                name="observation_unique_country_key",
                violation_error_message=_(
                    "There is already an observation for this indicator, area, period and category."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "region", "period", "category"],
                condition=Q(region__isnull=False),
                name="observation_unique_region_key",
                violation_error_message=_(
                    "There is already an observation for this indicator, area, period and category."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ObservationStatus.values),
                name="observation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(qualifier__in=ValueQualifier.values),
                name="observation_qualifier_valid",
            ),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) & Q(status__in=STATUSES_WITHOUT_VALUE))
                | (Q(value__isnull=False) & ~Q(status__in=STATUSES_WITHOUT_VALUE)),
                name="observation_value_matches_status",
                violation_error_message=_(
                    "Leave the value empty only for a cell that is not available or "
                    "suppressed, and give a value for every other status."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="observation_period_ordered",
            ),
        ]

    def __str__(self):
        label = f"{self.indicator}, {self.area_code}, {self.period}"
        return f"{label}, {self.category}" if self.category else label

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def natural_key(self):
        return (self.indicator.code, self.area_code, self.period, self.category)

    natural_key.dependencies = ["statistics.indicator", "regions.country", "regions.region"]

    @property
    def area(self):
        return self.country or self.region

    @property
    def shown_area(self):
        """The area as pages and charts name it: the source's own name where that is not
        simply the portal's area (`area_label`: "Serbia and Kosovo: S/RES/1244 (1999)",
        never "Serbia"), else the area itself."""
        return self.area_label or self.area

    @property
    def area_code(self):
        if self.country_id:
            return self.country.iso_code
        if self.region_id:
            return self.region.code
        return ""

    @property
    def is_provisional(self):
        return self.status == self.Status.PROVISIONAL

    @property
    def is_estimated(self):
        return self.status == self.Status.ESTIMATED

    @property
    def has_value(self):
        """False for a cell the source publishes without a number (not available, suppressed)."""
        return self.status not in STATUSES_WITHOUT_VALUE

    def set_period_bounds(self):
        """Fill period_start/period_end from `period` (raises ValueError if malformed)."""
        parsed = parse_period(self.period)
        self.period = parsed.text
        self.period_start, self.period_end = parsed.start, parsed.end

    def clean_fields(self, exclude=None):
        try:
            self.set_period_bounds()
        except ValueError:
            pass  # the field's validator reports it, with the accepted formats
        super().clean_fields(exclude=exclude)
