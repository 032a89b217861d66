from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from publishing.models import last_change


class FilteredListView(FilterView):
    """Published items filtered by the query string (bookmarkable), 20 a page.

    An invalid filter value shows the form's error and no results (strict mode); a page
    number that is not a number or past the end is a 404. A subclass names its
    `filterset_class`, `get_queryset()`, `template_name`, `context_object_name`, and the
    page's `title`, `paged_title` (with `%(number)s`) and `description`. Items need an
    `updated_at`.
    """

    paginate_by = 20
    title = ""
    paged_title = ""
    description = ""

    @classproperty
    def page_cache_query_params(cls):
        # The page cache keys (and keeps) only these query parameters (pagecache/).
        return (*cls.filterset_class.base_filters, "page")

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filterset.is_bound and not self.filterset.is_valid():
            # One of endless invalid variants: not worth a cached copy each.
            patch_cache_control(response, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        page = context["page_obj"]
        title = self.title
        if page.number > 1:
            title = self.paged_title % {"number": page.number}
        context.update(
            is_filtered=any(filterset.data.get(name) for name in filterset.base_filters),
            last_updated=last_change(*[item.updated_at for item in context["object_list"]]),
            breadcrumbs=[(_("Home"), reverse("home")), (self.title, None)],
            page_title=title,
            page_description=self.description,
        )
        return context
