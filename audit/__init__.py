"""The site-wide audit log: who did what to which item, when.

Every write path records its step with `audit.log.record(...)`; the admin shows the entries to
Publishers and administrators, read-only.
"""
