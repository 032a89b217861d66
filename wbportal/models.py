# The workflow's own tables live in wbportal.publishing; Django finds models here.
from .publishing.notifications import NotificationPreference
from .publishing.revisions import Revision

__all__ = ["NotificationPreference", "Revision"]
