from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from wbportal.preview import DraftPreviewMixin

from .models import Contact, Country, Office, Region


class HomeView(TemplateView):
    template_name = "regions/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["regions"] = Region.objects.published()
        return context


class RegionDetailView(DraftPreviewMixin, DetailView):
    template_name = "regions/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user).prefetch_related(
            "countries", "approach_sections"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["countries"] = list(self.object.countries.all())
        context["footnoted_countries"] = [c for c in context["countries"] if c.footnote]
        return context


class CountryDetailView(DetailView):
    template_name = "regions/country_detail.html"
    context_object_name = "country"
    queryset = Country.objects.all()


class ContactListView(ListView):
    template_name = "regions/contact_list.html"
    context_object_name = "offices"

    def get_queryset(self):
        return Office.objects.select_related("country").prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.public())
        )
