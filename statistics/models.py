import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Now, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from regions.models import Country, Region
from richtext.fields import MarkdownField
from wbportal.publishing import can_preview

from .periods import parse_period, validate_period, validate_period_point


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

    def with_public_periods(self, area=None):
        """Annotated with `first_period` (the earliest starting) and `last_period` (the latest
        ending) of the indicator's public observations, of `area` only if given: "periods
        covered" reads from the first's start to the last's end ("2016 – May 2025")."""
        periods = Observation.objects.public().filter(indicator=OuterRef("pk"))
        if area is not None:
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

# What each status tells a reader (the JSON download and the README list them).
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

    def latest_per_indicator(self, area, indicators=None):
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
        """
        indicator_model = self.model._meta.get_field("indicator").related_model
        scope = indicator_model.objects.all() if indicators is None else indicators
        latest_end = (
            self.for_area(area)
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
            self.for_area(area)
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
        Indicator,
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
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("source"),
    )
    note = models.TextField(_("note"), blank=True)
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


class ImportRecord(models.Model):
    """One run of the observation importer (admin preview/confirm or command), for the record."""

    class Via(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COMMAND = "command", _("Command line")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    dry_run = models.BooleanField(
        _("dry run"), help_text=_("A preview or --dry-run: checked, nothing written.")
    )
    committed = models.BooleanField(_("written"), help_text=_("The rows were written."))
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    messages = models.TextField(_("error messages"), blank=True)
    profile = models.CharField(
        _("import profile"),
        max_length=300,
        blank=True,
        help_text=_(
            "The profile the file was read with (its name, or its file); blank: the contract."
        ),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        constraints = [
            models.CheckConstraint(
                condition=~(Q(dry_run=True) & Q(committed=True)),
                name="importrecord_dry_run_writes_nothing",
            )
        ]

    def __str__(self):
        return f"{self.file_name or '-'} ({self.created_at:%Y-%m-%d %H:%M})"


class ReleaseStatus(models.TextChoices):
    HELD = "held", _("Held until released")
    SCHEDULED = "scheduled", _("Scheduled")
    RELEASED = "released", _("Released")


class DataReleaseQuerySet(models.QuerySet):
    def released(self):
        """Releases whose time has come: their observations are public (with their areas).
        Compared with the current time when the query is built, as `publish_at` is."""
        return self.filter(release_at__lte=timezone.now())

    def pending(self):
        """Held (no time yet) or scheduled for later: their observations are staff-only."""
        return self.filter(Q(release_at__isnull=True) | Q(release_at__gt=timezone.now()))

    def with_observation_count(self):
        return self.annotate(observation_count=Count("observations"))


class DataRelease(models.Model):
    """A batch of observations staged by an import (an embargo): public at `release_at`, or
    when a Publisher or Data manager releases it ("Release now" sets `release_at` to that
    moment). Until then only staff see the batch, on the region and country previews.

    A staged import only adds observations (statistics.imports): values already public
    never wait for a release, so there is no pending copy of a public value to keep.
    """

    name = models.CharField(_("name"), max_length=200)
    release_at = models.DateTimeField(
        _("release at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "When the observations become public, with nobody acting. Blank: held until a "
            "Publisher or Data manager releases them."
        ),
    )
    created_at = models.DateTimeField(_("staged at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staged by"),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
        help_text=_("Who released it by hand (blank: released by its time, or not yet)."),
    )
    import_record = models.OneToOneField(
        ImportRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="release",
        verbose_name=_("import"),
    )

    objects = DataReleaseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("data release")
        verbose_name_plural = _("data releases")
        permissions = [("release_datarelease", _("Can release staged data now"))]

    def __str__(self):
        return self.name

    @property
    def status(self):
        if self.release_at is None:
            return ReleaseStatus.HELD
        if self.release_at > timezone.now():
            return ReleaseStatus.SCHEDULED
        return ReleaseStatus.RELEASED

    @property
    def is_released(self):
        return self.status == ReleaseStatus.RELEASED

    def release_now(self, user):
        """Make the batch public at once (saved: the page cache is bumped by the save)."""
        self.release_at = timezone.now()
        self.released_by = user if user is not None and user.is_authenticated else None
        self.save(update_fields=["release_at", "released_by"])


class PendingUploadQuerySet(models.QuerySet):
    def expired(self):
        """Uploads older than IMPORT_PENDING_SECONDS: they can no longer be confirmed."""
        return self.filter(created_at__lt=self.model.expiry_cutoff())

    def remove(self):
        """Delete these uploads without loading their bytes; returns how many were deleted."""
        return self.defer("data").delete()[1].get(self.model._meta.label, 0)

    def store(self, user, file_name, data, release_name="", release_at=None):
        """Keep `data` for `user` to confirm, and return the PendingUpload (with the data
        release chosen at the preview, if any: `release_name`, `release_at`).

        This is also the periodic clean-up, so it needs no scheduler: expired uploads go
        first, and so do the user's oldest ones beyond IMPORT_PENDING_PER_USER.
        """
        self.expired().remove()
        keep = max(settings.IMPORT_PENDING_PER_USER - 1, 0)
        older = self.filter(user=user).order_by("-created_at").values_list("pk", flat=True)
        self.filter(pk__in=list(older[keep:])).remove()
        return self.create(
            user=user,
            file_name=file_name[:255],
            size=len(data),
            data=data,
            release_name=release_name,
            staged_release_at=release_at,
        )

    def claim(self, pk, user):
        """Take `user`'s upload `pk` out of the queue and return it: it can be claimed once.

        Raises PendingUpload.DoesNotExist when there is no such upload of this user (a forged
        id, another user's, already confirmed, or removed) and PendingUpload.Expired when it
        is too old (it is deleted then). Call it before the import's own transaction, so a
        failed import (an error, a killed worker) leaves nothing to retry that fails again.
        """
        pending = self.get(pk=pk, user=user)
        # Of two confirms of one upload (a double click), only the one that deletes it goes on.
        if not self.filter(pk=pending.pk).remove():
            raise self.model.DoesNotExist
        if pending.is_expired:
            raise self.model.Expired(pending.file_name)
        return pending


class PendingUpload(models.Model):
    """An import whose preview passed, waiting for its uploader to confirm it.

    The confirm form carries only this random id and the lookup is by id AND user, so a client
    can name nothing else: no path, no file, nobody else's upload. The bytes are in the
    database (at most IMPORT_MAX_UPLOAD_BYTES) so that any app server can answer the confirm
    step and nothing is written to a folder.
    """

    class Expired(Exception):
        """The upload waited longer than IMPORT_PENDING_SECONDS."""

        def __init__(self, file_name):
            super().__init__(file_name)
            self.file_name = file_name

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A transient upload belongs to its uploader: it goes with the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    # The data release the uploader chose at the preview, applied at the confirm step (the
    # confirm form carries only the id). Blank name: published at once. Not named
    # `release_at`: that name schedules the page cache (pagecache/schedule.py).
    release_name = models.CharField(_("stage as data release"), max_length=200, blank=True)
    staged_release_at = models.DateTimeField(_("release at"), null=True, blank=True)

    objects = PendingUploadQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("pending upload")
        verbose_name_plural = _("pending uploads")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def expiry_cutoff():
        """Uploads made before this moment have expired."""
        return timezone.now() - timedelta(seconds=settings.IMPORT_PENDING_SECONDS)

    @property
    def is_expired(self):
        return self.created_at < self.expiry_cutoff()


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


class ImportProfile(models.Model):
    """How one source lays out its files (statistics.profiles.format; README, "Import
    profiles"): files from that source import with it as they are published."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    definition = models.JSONField(
        _("definition"),
        help_text=_("The profile in the wbportal-import-profile format (see README)."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from .profiles.format import ProfileError, parse_profile

        if isinstance(self.definition, dict) and self.name:
            self.definition = {**self.definition, "name": self.name}
        try:
            parse_profile(self.definition)
        except ProfileError as error:
            raise ValidationError({"definition": error.problems}) from None

    def profile(self):
        from .profiles.format import parse_profile

        return parse_profile({**self.definition, "name": self.name})
