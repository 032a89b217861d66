"""Public lists filtered by the query string, shared by the project and document lists.

- `views.FilteredListView`: the list view (bookmarkable filters, 20 a page, the page cache's
  query parameters, no stored copy of an invalid filter, title, breadcrumbs, "Last updated").
- `filters.ListedModelChoiceFilter`: a select of related rows, read in one plain query.
- The form is `templates/includes/filter_form.html`, with the rest of the shared includes.

Its own package, not part of `projects` or `documents`: each of those lists uses it and
neither is the more general one (projects show their documents, documents filter by
project); and not in `wbportal`, which holds configuration only.
"""
