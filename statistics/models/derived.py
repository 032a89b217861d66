"""Derived indicators: figures the portal computes from other indicators' figures (a total
over categories, a rate), defined once by a Data manager and never typed in or imported.
The computation itself is `statistics.derived`; this is what a Data manager defines."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DerivationMethod(models.TextChoices):
    TOTAL = "total", _("Total: the sum of one indicator's categories")
    RATIO = "ratio", _("Rate: one indicator divided by another, times a scale")


class Derivation(models.Model):
    """How a derived indicator's figures are computed.

    - TOTAL: for each area and period, the sum of the categories of `numerator`.
    - RATIO: for each area, period and category where both inputs have a value,
      `numerator` / `denominator` x `scale` (100: per cent; 1,000: per 1,000 inhabitants).
    """

    indicator = models.OneToOneField(
        "Indicator",
        on_delete=models.CASCADE,
        related_name="derivation",
        verbose_name=_("derived indicator"),
        help_text=_("The indicator whose figures are computed. Its figures cannot be imported."),
    )
    method = models.CharField(_("method"), max_length=10, choices=DerivationMethod.choices)
    numerator = models.ForeignKey(
        "Indicator",
        on_delete=models.PROTECT,
        related_name="derivations_from",
        verbose_name=_("input"),
        help_text=_(
            "For a total, the indicator whose categories are added; for a rate, the "
            "figure divided (numerator)."
        ),
    )
    denominator = models.ForeignKey(
        "Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derivations_over",
        verbose_name=_("divided by"),
        help_text=_("For a rate only: the figure divided by (denominator)."),
    )
    scale = models.PositiveIntegerField(
        _("scale"),
        default=1,
        help_text=_("For a rate: 100 gives a percentage, 1000 a rate per 1,000."),
    )
    explanation = models.TextField(
        _("explanation"),
        blank=True,
        help_text=_(
            "Shown with the figures, after the portal's own account of how they are "
            "computed. Blank if that account says enough."
        ),
    )
    computed_at = models.DateTimeField(_("last computed"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("derived indicator definition")
        verbose_name_plural = _("derived indicator definitions")

    def __str__(self):
        return str(self.indicator)

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def inputs(self):
        return [i for i in (self.numerator, self.denominator) if i is not None]

    def clean(self):
        errors = {}
        if self.method == DerivationMethod.RATIO and self.denominator_id is None:
            errors["denominator"] = _("A rate needs the indicator it divides by.")
        if self.method == DerivationMethod.TOTAL and self.denominator_id is not None:
            errors["denominator"] = _("A total adds one indicator's categories: leave this blank.")
        if self.indicator_id and self.indicator_id in (self.numerator_id, self.denominator_id):
            errors["numerator"] = _("A derived indicator cannot be computed from itself.")
        if self.scale == 0:
            errors["scale"] = _("The scale must be 1 or more.")
        if not errors:
            # No cycle, cases never with persons, no imported figure in the way.
            from ..derived.rules import definition_errors

            errors = definition_errors(self)
        if errors:
            raise ValidationError(errors)
