from django.urls import path

from . import views

app_name = "iati"

urlpatterns = [
    path("activities.xml", views.ActivitiesView.as_view(), name="activities"),
    path("activities/<slug:slug>.xml", views.ActivityView.as_view(), name="activity"),
]
