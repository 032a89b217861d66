from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("pages/<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
    path("brand/logo", views.brand_file, {"field": "logo"}, name="logo"),
    path("brand/share-image", views.brand_file, {"field": "share_image"}, name="share-image"),
]
