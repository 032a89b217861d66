from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iati.fields import (
    validate_activity_identifier,
    validate_organisation_identifier,
    validate_sectors,
)
from library.models import image_field
from publishing.models import Publishable, PublishableQuerySet
from regions.models import Contact, Country, Region
from richtext.fields import MarkdownField


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    OTHER_PUBLIC = "other-public", _("Other public sector")
    NGO = "ngo", _("Non-governmental organisation")
    MULTILATERAL = "multilateral", _("Multilateral")
    INTERNATIONAL = "international", _("International organisation")
    ACADEMIC = "academic", _("Academic, training and research")
    PRIVATE = "private", _("Private sector")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    # IATI ActivityStatus codes 1-6, in that order.
    PIPELINE = "pipeline", _("Pipeline/identification")
    IMPLEMENTATION = "implementation", _("Implementation")
    FINALISATION = "finalisation", _("Finalisation")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class ThematicArea(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = MarkdownField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        permissions = [
            (
                "change_live_thematicarea",
                _("Can change and delete thematic areas a live page shows"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('projects:project-list')}?thematic_area={self.slug}"

    def natural_key(self):
        return (self.slug,)


class Facility(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = MarkdownField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        permissions = [
            ("change_live_facility", _("Can change and delete facilities a live page shows"))
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('projects:project-list')}?facility={self.slug}"

    def natural_key(self):
        return (self.slug,)


class Organisation(models.Model):
    """A donor or partner. Types follow the IATI OrganisationType codelist."""

    Type = OrganisationType

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    organisation_type = models.CharField(
        _("type"), max_length=20, choices=OrganisationType.choices, default=OrganisationType.OTHER
    )
    website = models.URLField(_("website"), blank=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[validate_organisation_identifier],
        help_text=_(
            "Only the organisation's own registered identifier, e.g. XM-DAC-41101 (look it "
            "up on the IATI Registry or org-id.guide). Blank if not known: the IATI file "
            "then names the organisation without an identifier."
        ),
    )

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            ("change_live_organisation", _("Can change and delete organisations a live page shows"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_type__in=OrganisationType.values),
                name="organisation_type_valid",
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="organisation_iati_identifier_unique",
                violation_error_message=_(
                    "Another organisation has this IATI organisation identifier."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return f"{reverse('projects:project-list')}?donor={self.slug}"

    def natural_key(self):
        return (self.slug,)


class ProjectQuerySet(PublishableQuerySet):
    def search(self, text):
        """Free-text search (case-insensitive), every word in the title, acronym, summary or
        the name of one of the project's public countries ("Kosovo" finds projects there)."""
        query = Q()
        for word in text.split():
            in_country = Project.countries.through.objects.filter(
                Q(country__name__icontains=word) | Q(country__local_name__icontains=word),
                project_id=OuterRef("pk"),
                country__in=Country.objects.public(),
            )
            query &= (
                Q(title__icontains=word)
                | Q(acronym__icontains=word)
                | Q(summary__icontains=word)
                | Exists(in_country)
            )
        return self.filter(query)

    def current(self):
        """In implementation: what a region page lists as current projects."""
        return self.filter(status=ProjectStatus.IMPLEMENTATION)

    def in_region(self, region):
        """Projects of the region or of one of its countries. EXISTS rather than joins, so
        no DISTINCT is needed (half the time of join + DISTINCT on 1,000 projects)."""
        of_region = Project.regions.through.objects.filter(project_id=OuterRef("pk"), region=region)
        of_its_countries = Project.countries.through.objects.filter(
            project_id=OuterRef("pk"), country__regions=region
        )
        return self.filter(Exists(of_region) | Exists(of_its_countries))

    def latest_first(self):
        """Most recently started first (actual start, else planned; undated last), then the
        most recently changed: what a region or country page shows of a long list."""
        return self.annotate(started=Coalesce("actual_start", "planned_start")).order_by(
            F("started").desc(nulls_last=True), "-updated_at", "title", "pk"
        )

    def for_listing(self):
        return self.select_related("facility").prefetch_related(
            public_countries(), "thematic_areas"
        )

    def for_iati(self):
        """With what the IATI file reads (iati.building): public countries only, themes,
        donors, partners and the public documents with an IATI category (`iati_documents`);
        in the order of their identifiers."""
        # Imported here: documents' models import this module.
        from documents.models import Document

        return self.prefetch_related(
            public_countries(),
            "thematic_areas",
            "donors",
            "implementing_partners",
            Prefetch("documents", Document.objects.for_iati(), to_attr="iati_documents"),
        ).order_by("iati_identifier", "title", "pk")


def public_countries():
    """A project's countries as the public may see them: only those with a public page
    (`Country.objects.public()`), so a country of a draft region is never named."""
    return Prefetch("countries", queryset=Country.objects.public())


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Project(Publishable):
    """A project, with fields after the IATI activity standard."""

    Status = ProjectStatus

    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    iati_identifier = models.CharField(
        _("IATI identifier"),
        max_length=150,
        blank=True,
        validators=[validate_activity_identifier],
        help_text=_(
            "The activity's identifier: the reporting organisation's identifier (site "
            "settings), a hyphen and the project's own code, e.g. XM-DAC-47066-WB-001. "
            "Blank: the project is left out of the IATI file."
        ),
    )
    iati_sectors = models.CharField(
        _("DAC sectors"),
        max_length=300,
        blank=True,
        validators=[validate_sectors],
        help_text=_(
            "OECD DAC 5-digit purpose codes, separated by commas, e.g. 15190 (migration). "
            "With several, give each one's share in percent: “15190 60, 13010 40”."
        ),
    )
    summary = models.TextField(_("summary"), help_text=_("One paragraph, plain text."))
    description = MarkdownField(_("description"), blank=True)
    image = image_field(
        _("image"),
        _("Shown at the top of the project page."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PIPELINE
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    regions = models.ManyToManyField(
        Region, related_name="projects", blank=True, verbose_name=_("regions")
    )
    countries = models.ManyToManyField(
        Country, related_name="projects", blank=True, verbose_name=_("countries")
    )
    thematic_areas = models.ManyToManyField(
        ThematicArea, related_name="projects", blank=True, verbose_name=_("thematic areas")
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("facility"),
    )
    donors = models.ManyToManyField(
        Organisation, related_name="funded_projects", blank=True, verbose_name=_("donors")
    )
    implementing_partners = models.ManyToManyField(
        Organisation,
        related_name="implemented_projects",
        blank=True,
        verbose_name=_("implementing partners"),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use an ISO 4217 code such as EUR."))],
        help_text=_("ISO 4217 code, e.g. EUR; required when a budget is given."),
    )
    website = models.URLField(_("website"), blank=True)
    indicators = models.ManyToManyField(
        "statistics.Indicator",
        related_name="projects",
        blank=True,
        verbose_name=_("indicators addressed"),
        help_text=_("The statistics this project sets out to change; shown on both pages."),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("contact"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = ProjectManager()
    history = HistoricalRecords(
        m2m_fields=[regions, countries, thematic_areas, donors, implementing_partners, indicators]
    )

    revision_children = ()

    class Meta(Publishable.Meta):
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [("publish_project", _("Can publish and unpublish projects"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=ProjectStatus.values),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_start__lte=F("planned_end")),
                name="project_planned_dates_ordered",
                violation_error_message=_("The planned end is before the planned start."),
            ),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_start__lte=F("actual_end")),
                name="project_actual_dates_ordered",
                violation_error_message=_("The actual end is before the actual start."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | (Q(budget__gte=0) & ~Q(currency="")),
                name="project_budget_has_currency",
                violation_error_message=_("A budget needs a currency and cannot be negative."),
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="project_iati_identifier_unique",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.acronym})" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("projects:project-detail", kwargs={"slug": self.slug})

    def clean_fields(self, exclude=None):
        # "eur" is EUR: the code is stored in capitals, as ISO 4217 writes it.
        self.currency = (self.currency or "").strip().upper()
        super().clean_fields(exclude)

    def natural_key(self):
        return (self.slug,)

    @property
    def start_date(self):
        return self.actual_start or self.planned_start

    @property
    def end_date(self):
        return self.actual_end or self.planned_end
