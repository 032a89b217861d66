from django import template
from django.template import Context

from scheduler.status import scheduler_status as build_status

register = template.Library()


@register.inclusion_tag("admin/scheduler/status.html", takes_context=True)
def scheduler_status(context: Context, is_publisher: bool = False) -> dict[str, object]:
    """On the review queue: overdue items and the scheduler's last run."""
    request = context["request"]
    return {"status": build_status(request.user), "is_publisher": is_publisher}
