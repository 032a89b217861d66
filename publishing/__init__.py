"""The draft/review/publish workflow, in one place for every publishable model (an app:
import from its modules, e.g. `publishing.models`, never from the package).

- `models`: the `Publishable` abstract model (fields, constraints) and `PublishableQuerySet`
  (`live()`, `visible_to()`, `with_publication_status()`): adding a model to the workflow is
  inheriting these and declaring its `publish_<model>` permission.
- `revisions`: a change to a live item kept as a `Revision` until a Publisher approves it;
  `actions`: the steps (save draft, submit, return, approve, schedule, publish, withdraw,
  restore, go-live), each with its permission check; `snapshots`: an item's state (with
  its children) as data, and the three-way merge at go-live; `diff`: a readable
  comparison; `versions`: the version check that refuses a save over a later change.
- `admin`: `PublishableAdmin` and `publication_fieldset()` for the admin forms, the review
  page of a revision, previews (a thin caller of `actions`); `queue`: each person's review
  queue on the admin index; the `publish_scheduled` command runs `actions.publish_due()`.
- `preview`: drafts and proposed changes on the real public templates, marked, never cached.
- `notifications`: e-mail about reviews, with each user's opt-out.
"""
