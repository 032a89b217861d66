"""The draft/review/publish workflow, in one place for every publishable model.

- `models`: the `Publishable` abstract model (fields, constraints) and `PublishableQuerySet`
  (`live()`, `visible_to()`, `with_publication_status()`): adding a model to the workflow is
  inheriting these and declaring its `publish_<model>` permission.
- `revisions`: a change to a live item kept as a `Revision` until a Publisher approves it;
  `workflow`: the steps (propose, request review, approve, return, publish what is due);
  `snapshots`: an item's state (with its children) as data; `diff`: a readable comparison.
- `admin`: `PublishableAdmin` and `publication_fieldset()` for the admin forms, the review
  page of a revision, previews; `queue`: each person's review queue on the admin index.
- `preview`: drafts and proposed changes on the real public templates, marked, never cached.
- `notifications`: e-mail about reviews, with each user's opt-out.
"""

from .models import (
    PUBLICATION_FIELDS,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    can_preview,
    last_change,
    live_q,
)

__all__ = [
    "PUBLICATION_FIELDS",
    "PublicationStatus",
    "Publishable",
    "PublishableQuerySet",
    "can_preview",
    "last_change",
    "live_q",
]
