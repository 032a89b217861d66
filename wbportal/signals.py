from django.dispatch import Signal

# Sent after a change that bypasses model signals has been committed, e.g. a CSV import
# written with bulk_create/bulk_update. Receivers (such as the page cache) treat it like
# post_save. Arguments: sender (the model class), plus optional `count`.
content_changed = Signal()
