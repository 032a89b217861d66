from django.views.generic import DetailView, ListView

from .models import Indicator, Source


class IndicatorListView(ListView):
    template_name = "statistics/indicator_list.html"
    context_object_name = "indicators"
    queryset = Indicator.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = Source.objects.all()
        return context


class IndicatorDetailView(DetailView):
    template_name = "statistics/indicator_detail.html"
    context_object_name = "indicator"
    slug_field = "code"
    slug_url_kwarg = "code"
    queryset = Indicator.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["observations"] = self.object.observations.with_related()
        return context
