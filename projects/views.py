from django.views.generic import DetailView, ListView

from wbportal.views import DraftPreviewMixin

from .models import Project


class ProjectListView(ListView):
    template_name = "projects/project_list.html"
    context_object_name = "projects"
    paginate_by = 20

    def get_queryset(self):
        return Project.objects.published().for_listing()


class ProjectDetailView(DraftPreviewMixin, DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return Project.objects.visible_to(self.request.user).prefetch_related(
            "countries", "thematic_areas", "donors", "implementing_partners", "regions"
        )
