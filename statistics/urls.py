from django.urls import path

from . import views
from .sdmx import views as sdmx_views

app_name = "statistics"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator-list"),
    # SDMX (statistics/sdmx/): the structure, a selection of indicators, one indicator.
    path("sdmx/structure.xml", sdmx_views.SDMXStructureView.as_view(), name="sdmx-structure"),
    path("sdmx/data.csv", sdmx_views.SDMXDataView.as_view(), name="sdmx-data"),
    path("<slug:code>/sdmx.csv", sdmx_views.IndicatorSDMXView.as_view(), name="indicator-sdmx"),
    path("<slug:code>.csv", views.IndicatorCSVView.as_view(), name="indicator-csv"),
    path("<slug:code>.xlsx", views.IndicatorXLSXView.as_view(), name="indicator-xlsx"),
    path("<slug:code>.zip", views.IndicatorZipView.as_view(), name="indicator-zip"),
    path("<slug:code>.json", views.IndicatorJSONView.as_view(), name="indicator-json"),
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path(
        "<slug:code>/chart.svg", views.IndicatorChartSVGView.as_view(), name="indicator-chart-svg"
    ),
    path(
        "<slug:code>/chart.png", views.IndicatorChartPNGView.as_view(), name="indicator-chart-png"
    ),
    path(
        "<slug:code>/share.png",
        views.IndicatorShareImageView.as_view(),
        name="indicator-share-image",
    ),
    # Each chart its own file: map.svg, breakdown-rs.png (the names of statistics.charts).
    path(
        "<slug:code>/<slug:name>.svg",
        views.IndicatorChartSVGView.as_view(),
        name="indicator-chart-file-svg",
    ),
    path(
        "<slug:code>/<slug:name>.png",
        views.IndicatorChartPNGView.as_view(),
        name="indicator-chart-file-png",
    ),
    path("<slug:code>/embed/", views.IndicatorEmbedView.as_view(), name="indicator-embed"),
]
