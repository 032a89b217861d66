from django.urls import path

from . import views

app_name = "statistics"

urlpatterns = [
    path("", views.IndicatorListView.as_view(), name="indicator-list"),
    path("<slug:code>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
]
