"""Admin for derived indicator definitions (registered from statistics.admin): a save
computes the figures in the same transaction and says how many; a delete deletes them."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from formatting.display import format_number
from wbportal.history_admin import ReadableHistoryAdmin

from ..models import Derivation
from . import compute
from .store import Result, forget, recompute_with_dependents


def refusal_words(reason: str, count: int) -> str:
    """A reason a place got no figure, with how many, in words."""
    number = format_number(count)
    texts = {
        compute.NO_VALUE: ngettext(
            "%(count)s where an input has no value (not available or suppressed)",
            "%(count)s where an input has no value (not available or suppressed)",
            count,
        ),
        compute.QUALIFIED: ngettext(
            "%(count)s where an input is “more than”, “less than” or “about”",
            "%(count)s where an input is “more than”, “less than” or “about”",
            count,
        ),
        compute.AREA_LABELS: ngettext(
            "%(count)s where the inputs name the area differently (e.g. “Serbia and Kosovo: "
            "S/RES/1244 (1999)” against Serbia alone)",
            "%(count)s where the inputs name the area differently (e.g. “Serbia and Kosovo: "
            "S/RES/1244 (1999)” against Serbia alone)",
            count,
        ),
        compute.NO_DENOMINATOR: ngettext(
            "%(count)s without a figure to divide by",
            "%(count)s without a figure to divide by",
            count,
        ),
        compute.ZERO_DENOMINATOR: ngettext(
            "%(count)s where the figure to divide by is zero",
            "%(count)s where the figure to divide by is zero",
            count,
        ),
        compute.RELEASES: ngettext(
            "%(count)s whose inputs wait for different data releases",
            "%(count)s whose inputs wait for different data releases",
            count,
        ),
        compute.TAKEN: ngettext(
            "%(count)s held by a figure that was imported or typed in",
            "%(count)s held by a figure that was imported or typed in",
            count,
        ),
    }
    return texts.get(reason, "%(count)s") % {"count": number}


def describe(result: Result) -> str:
    """ "Computed 120 figures of X (3 new, 2 changed, 1 removed, 114 unchanged). Not computed:
    ..." for the admin's message."""
    text = ngettext(
        "Computed %(count)s figure of %(indicator)s",
        "Computed %(count)s figures of %(indicator)s",
        result.stored,
    ) % {"count": format_number(result.stored), "indicator": result.derivation.indicator}
    text += " " + gettext(
        "(%(new)s new, %(changed)s changed, %(removed)s removed, %(unchanged)s unchanged)."
    ) % {
        "new": format_number(result.created),
        "changed": format_number(result.updated),
        "removed": format_number(result.deleted),
        "unchanged": format_number(result.unchanged),
    }
    if result.refused:
        reasons = "; ".join(
            refusal_words(reason, count) for reason, count in sorted(result.refused.items())
        )
        text += " " + gettext("Not computed: %(reasons)s.") % {"reasons": reasons}
    return text


@admin.register(Derivation)
class DerivationAdmin(ReadableHistoryAdmin):
    list_display = [
        "indicator",
        "method",
        "numerator",
        "denominator",
        "scale",
        "figure_count",
        "computed_at",
    ]
    list_filter = ["method"]
    search_fields = ["indicator__name", "indicator__code", "numerator__name", "denominator__name"]
    list_select_related = ["indicator", "numerator", "denominator"]
    autocomplete_fields = ["indicator", "numerator", "denominator"]
    fields = ["indicator", "method", "numerator", "denominator", "scale", "explanation"]

    def get_readonly_fields(self, request: HttpRequest, obj: Derivation | None = None) -> list[str]:
        # Another indicator would leave the first one's figures behind: define a new one.
        return ["indicator", "computed_at"] if obj is not None else ["computed_at"]

    def get_fields(self, request: HttpRequest, obj: Derivation | None = None) -> list[str]:
        return [*self.fields, "computed_at"] if obj is not None else self.fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Derivation]:
        computed = Q(indicator__observations__is_derived=True)
        return (
            super()
            .get_queryset(request)
            .annotate(figures=Count("indicator__observations", filter=computed))
        )

    @admin.display(description=_("figures"), ordering="figures")
    def figure_count(self, derivation: Derivation) -> str:
        return format_number(getattr(derivation, "figures", 0))  # annotated by get_queryset

    def save_model(
        self, request: HttpRequest, obj: Derivation, form: forms.ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        own, *others = recompute_with_dependents(obj)
        messages.success(request, describe(own))
        for result in others:
            if result.written:
                messages.info(request, describe(result))

    def delete_model(self, request: HttpRequest, obj: Derivation) -> None:
        deleted = forget(obj)
        super().delete_model(request, obj)
        messages.info(
            request,
            ngettext(
                "Its %(count)s computed figure was deleted.",
                "Its %(count)s computed figures were deleted.",
                deleted,
            )
            % {"count": format_number(deleted)},
        )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Derivation]) -> None:
        for derivation in queryset:
            forget(derivation)
        super().delete_queryset(request, queryset)
