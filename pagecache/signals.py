from django.dispatch import Signal

# Sent after a change that bypasses model signals, e.g. a CSV import written with
# bulk_create/bulk_update, inside its transaction (before the commit, as post_save is).
# Receivers (such as the page cache) treat it like post_save and may raise to roll the change
# back. Arguments: sender (the model class), plus optional `count` and `using`.
content_changed = Signal()
