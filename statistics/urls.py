from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator-list"),
    path("<slug:code>.csv", views.IndicatorCSVView.as_view(), name="indicator-csv"),
    path("<slug:code>.json", views.IndicatorJSONView.as_view(), name="indicator-json"),
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
]
