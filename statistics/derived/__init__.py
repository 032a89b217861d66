"""Placeholder: the `derived` helper provides the real computation of derived figures."""


def recompute_for(indicator_ids): ...
