from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country-detail"),
    path("contacts/", views.ContactListView.as_view(), name="contacts"),
]
