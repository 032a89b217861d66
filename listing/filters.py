"""Filters the public lists share."""

import django_filters
import django_filters.fields


class ListedModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """A select's choices from one plain query.

    Django's iterator reads them with QuerySet.iterator(), which on PostgreSQL opens a
    server-side cursor WITH HOLD (DECLARE, FETCH, CLOSE, and a result materialised at
    commit) for a list of a dozen names, once for each select of an uncached list (the
    measurement is in bench/NOTES.md).
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListedModelChoiceIterator


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter with its choices read by ListedModelChoiceIterator."""

    field_class = ListedModelChoiceField
