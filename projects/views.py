from django.views.generic import DetailView, ListView

from regions.models import Contact
from wbportal.preview import DraftPreviewMixin

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The project's contact only if that contact is public: templates use this, never
        # project.contact directly.
        context["contact"] = (
            Contact.objects.public().filter(pk=self.object.contact_id).first()
            if self.object.contact_id
            else None
        )
        return context
