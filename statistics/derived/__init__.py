"""Derived figures: totals and rates the portal computes from other indicators' figures, as a
Data manager defines them (`statistics.models.Derivation`), never typed in or imported.

Every write path recomputes what depends on what it wrote, in its own transaction:
imports and their undo, the observation admin, the derivation admin. Nothing is computed on
read: the stored figures are the page's, and the page cache is bumped when they change.

- `recompute_for(indicator_ids)`: recompute every derivation computed (directly or through
  another derived indicator) from these indicators, in dependency order; returns how many
  derived figures were written (created, changed or deleted).
- `recompute(derivation)`: one derivation; its `Result` (created, updated, deleted,
  unchanged, and the places not computed by reason).
- The rules: `statistics.derived.compute`; the definition's checks (cycles, cases and
  persons, imported figures in the way): `statistics.derived.rules`.
"""

from .store import Result, recompute, recompute_for

__all__ = ["Result", "recompute", "recompute_for"]
