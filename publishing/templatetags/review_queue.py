from typing import Any

from django import template

from publishing.queue import review_queue as build_review_queue

register = template.Library()


@register.inclusion_tag("admin/publishing/review_queue.html", takes_context=True)
def review_queue(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    return {"queue": build_review_queue(request.user), "request": request}
