from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from .engine import MAX_QUERY_LENGTH, search


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Use at most %(limit_value)d characters (this has %(show_value)d).")
        },
    )


class SearchView(TemplateView):
    """Site search: `?q=` and `?page=` (the only parameters read), 20 results a page.

    An over-long or otherwise invalid query shows the form's error and no results; a page
    number that is not a number or past the end is a 404, as on the project list.
    """

    template_name = "search/results.html"
    paginate_by = 20
    page_cache_query_params = ("q", "page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET)
        query = form.cleaned_data["q"].strip() if form.is_valid() else ""
        results = search(query) if query else []
        paginator = Paginator(results, self.paginate_by, allow_empty_first_page=True)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404(_("No such page of results.")) from error
        title = _("Search") if not query else _("Search: %(query)s") % {"query": query}
        if page.number > 1:
            title = _("%(title)s, page %(number)s") % {"title": title, "number": page.number}
        context.update(
            form=form,
            query=query,
            results=page.object_list,
            page_obj=page,
            paginator=paginator,
            breadcrumbs=[(_("Home"), reverse("home")), (_("Search"), None)],
            page_title=title,
            page_description=_(
                "Search the regions, countries, offices, contacts, projects, documents and "
                "statistics of the portal."
            ),
        )
        return context
