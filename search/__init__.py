"""The site search: apps register what is searchable (search.registry), search.engine finds
it, search.views shows it at /search/."""
