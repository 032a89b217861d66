from statistics.area_labels import area_label_notes
from statistics.fragments import content_fragments
from statistics.models import Indicator, Observation, Source

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from documents.models import Document
from pagecache import current_generation_or_none
from projects.models import Project, ThematicArea, public_countries
from publishing.models import last_change
from publishing.preview import DraftPreviewMixin

from .maps import region_map
from .models import Contact, Country, Office, Region

# A region or country page shows this many projects (the most recently started) and links
# to the filtered project list for all of them: the page stays small whatever the catalogue.
PAGE_PROJECTS = 12
# The newest documents on a region page; the document list, filtered, has them all.
PAGE_DOCUMENTS = 6
# The home page's "latest projects" and its strip of headline figures.
HOME_PROJECTS = 4
HOME_FIGURES = 6


class AreaFigures:
    """An area's latest figures for a page: single values (`tiles`) and breakdowns (a list
    of each indicator's rows), in the order given (the indicators' order). `common_source`
    is the one source of all tiles when they share it (said once, not on every tile).
    Figures a source gives under its own name for the area (`area_label`) are a group of
    their own, never mixed with the area's own; `area_label_notes` say whom each name
    covers."""

    def __init__(self, observations, limit=None):
        groups = {}
        for observation in observations:
            key = (observation.indicator_id, observation.area_label)
            groups.setdefault(key, []).append(observation)
        self.tiles = []
        self.breakdowns = []
        for rows in groups.values():
            if len(rows) == 1 and not rows[0].category:
                self.tiles.append(rows[0])
            else:
                self.breakdowns.append(rows)
        if limit is not None:
            self.tiles = self.tiles[:limit]
        sources = {observation.source_id for observation in self.tiles}
        self.common_source = (
            self.tiles[0].source if len(self.tiles) > 1 and len(sources) == 1 else None
        )
        self.area_label_notes = area_label_notes(
            [*self.tiles, *(rows[0] for rows in self.breakdowns)]
        )

    def __bool__(self):
        return bool(self.tiles or self.breakdowns)


def home_crumb():
    return (_("Home"), reverse("home"))


def live_countries():
    """A region's countries as a visitor may see them: a draft or withdrawn country is
    neither listed, counted, drawn nor linked (its page would answer 404)."""
    return Prefetch("countries", queryset=Country.objects.live())


def offices_with_public_contacts(offices):
    return offices.prefetch_related(
        Prefetch(
            "contacts",
            queryset=Contact.objects.public().select_related("portrait"),
            to_attr="public_contacts",
        )
    )


class HomeView(TemplateView):
    template_name = "regions/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        regions = list(Region.objects.published().prefetch_related(live_countries()))
        featured = Indicator.objects.featured()
        # One query a region (a handful), never one per project or observation.
        headline_figures = []
        for region in regions:
            region.headline_figures = [
                o
                for o in Observation.objects.public().latest_per_indicator(
                    region, indicators=featured
                )
                if not o.category
            ]
            for observation in region.headline_figures:
                observation.area_name = region.name
                observation.area_link_code = region.code
            headline_figures += region.headline_figures
        countries = list(Country.objects.public())
        projects = list(
            Project.objects.published()
            .select_related("facility")
            .prefetch_related(public_countries())
            .latest_first()[:HOME_PROJECTS]
        )
        context.update(
            regions=regions,
            headline_figures=AreaFigures(headline_figures, limit=HOME_FIGURES),
            region_map=region_map(countries, offices=Office.objects.public().for_map()),
            projects=projects,
            last_updated=last_change(
                *[region.updated_at for region in regions],
                *[o.updated_at for region in regions for o in region.headline_figures],
            ),
            page_title=_("Migration policy in the Western Balkans and Türkiye"),
            page_description=_(
                "Regional profiles, projects, offices and key migration figures for the "
                "Western Balkans and Türkiye."
            ),
        )
        return context


class ContentFragmentMixin:
    """A page whose content (figures, map, projects, documents, offices...: the template's
    `{% fragment %}`s) is rendered once per shared generation and language
    (statistics/fragments.py, `content_fragments`) and shared by the public's renders; the
    item's own texts (settings.PAGE_CACHE_OWN_TEXT) are rendered outside the fragments, so
    an edit of them renders only them again. On a hit the content's context is not computed
    at all: `content_context()` runs only when a fragment is rendered. What the rest of the
    page (base.html) needs of it, named in `fragment_meta`, is kept with the fragments; its
    "Last updated" is the later of the item's own `updated_at` and the content's
    (`content_updated`)."""

    fragment_meta: tuple[str, ...] = ("content_updated",)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Read before the item: a change committed after this read moves the generation
        # past it, so nothing read before that change is kept under a key after it.
        self.generation = current_generation_or_none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fragments = context["fragments"] = content_fragments(
            self.request,
            f"{self.object._meta.model_name}:{self.object.pk}",
            late_context=self.content_context,
            generation=self.generation,
        )
        meta = fragments.meta
        if meta is None:
            fragments.late_context = None
            context.update(self.content_context())
            meta = {name: context[name] for name in self.fragment_meta}
        context.update(meta)
        context["last_updated"] = last_change(self.object.updated_at, meta["content_updated"])
        self.fragments_meta = meta
        return context

    def content_context(self):
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        fragments = context["fragments"]
        response.add_post_render_callback(lambda _response: fragments.save(self.fragments_meta))
        return response


class RegionDetailView(ContentFragmentMixin, DraftPreviewMixin, DetailView):
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).select_related("hero_image")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        context.update(
            breadcrumbs=[home_crumb(), (region.name, None)],
            page_title=region.name,
            page_description=region.summary,
            og_type="article",
        )
        return context

    def content_context(self):
        region = self.object
        # Only for the content: a render that finds it in the cache reads neither.
        prefetch_related_objects([region], live_countries(), "approach_sections")
        countries = list(region.countries.all())
        current = Project.objects.published().current().in_region(region)
        projects = list(
            current.select_related("facility")
            .prefetch_related(public_countries())
            .latest_first()[:PAGE_PROJECTS]
        )
        project_count = current.count()
        documents = Document.objects.published().in_region(region).newest_first()
        page_documents = list(documents[:PAGE_DOCUMENTS])
        offices = list(offices_with_public_contacts(Office.objects.public().in_region(region)))
        figures = list(
            Observation.objects.visible_to(self.request.user).latest_per_indicator(
                region, indicators=Indicator.objects.featured()
            )
        )
        return dict(
            countries=countries,
            region_map=region_map(countries, offices=offices),
            approach_sections=list(region.approach_sections.all()),
            projects=projects,
            project_count=project_count,
            # IN (subquery) rather than a join + DISTINCT: cheaper (bench/NOTES.md).
            thematic_areas=list(
                ThematicArea.objects.filter(
                    pk__in=Project.objects.published().in_region(region).values("thematic_areas")
                )
            ),
            figures=AreaFigures(figures),
            content_updated=last_change(
                *[o.updated_at for o in figures],
                *[document.updated_at for document in page_documents],
            ),
            offices=offices,
            region_contacts=list(
                Contact.objects.public()
                .region_wide()
                .filter(region=region)
                .select_related("portrait")
            ),
            documents=page_documents,
            document_count=(
                documents.count() if len(page_documents) == PAGE_DOCUMENTS else len(page_documents)
            ),
        )


class CountryDetailView(ContentFragmentMixin, DetailView):
    template_name = "regions/country_detail.html"
    context_object_name = "country"
    # The breadcrumbs name its (first) region; a country outside published regions is a
    # draft to staff.
    fragment_meta = ("content_updated", "breadcrumbs", "is_draft")

    def get_queryset(self):
        return Country.objects.visible_to(self.request.user).select_related("hero_image")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        context.update(
            page_title=country.display_name,
            page_description=_(
                "%(country)s: our offices and contacts, the projects working there and "
                "key migration figures."
            )
            % {"country": country.display_name},
        )
        return context

    def content_context(self):
        country = self.object
        regions = list(Region.objects.published().filter(countries=country))
        offices = list(
            offices_with_public_contacts(
                Office.objects.public().filter(country=country).select_related("country")
            )
        )
        published = Project.objects.published().filter(countries=country)
        projects = list(
            published.select_related("facility")
            .prefetch_related(public_countries())
            .latest_first()[:PAGE_PROJECTS]
        )
        project_count = published.count()
        # Its own figures and those under a source's name that takes it in with another
        # country (UNHCR's "Serbia and Kosovo: S/RES/1244 (1999)" on Kosovo*'s page too).
        visible = Observation.objects.visible_to(self.request.user)
        observations = visible.shown_for_country(country)
        figures = list(visible.latest_per_indicator(country, shared=True))
        # The map shows the country among its (first) region's countries.
        neighbours = list(regions[0].countries.live()) if regions else [country]
        crumbs = [home_crumb()]
        if regions:
            crumbs.append((regions[0].name, regions[0].get_absolute_url()))
        crumbs.append((country.display_name, None))
        return dict(
            regions=regions,
            offices=offices,
            projects=projects,
            project_count=project_count,
            figures=AreaFigures(figures),
            data_sources=list(Source.objects.filter(pk__in=observations.values("source"))),
            indicators=list(
                Indicator.objects.filter(pk__in=observations.values("indicator")).only(
                    "code", "name", "order"
                )
            ),
            region_map=region_map(neighbours, offices=offices, current=country, focus=neighbours),
            content_updated=last_change(*[o.updated_at for o in figures]),
            is_draft=not regions or not country.is_live_at(timezone.now()),
            breadcrumbs=crumbs,
        )


class ContactListView(TemplateView):
    template_name = "regions/contact_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offices = list(
            offices_with_public_contacts(
                Office.objects.public()
                .select_related("country", "region")
                .order_by("country__name", "-is_regional_seat", "city", "name")
            )
        )
        region_contacts = list(
            Contact.objects.public()
            .region_wide()
            .select_related("region", "portrait")
            .order_by("region__name", "display_order", "name")
        )
        context.update(
            offices=offices,
            region_contacts=region_contacts,
            last_updated=last_change(
                *[office.updated_at for office in offices],
                *[contact.updated_at for office in offices for contact in office.public_contacts],
                *[contact.updated_at for contact in region_contacts],
            ),
            breadcrumbs=[home_crumb(), (_("Offices and contacts"), None)],
            page_title=_("Offices and contacts"),
            page_description=_(
                "Addresses of our offices in the Western Balkans and Türkiye and the people "
                "to contact at each."
            ),
        )
        return context
