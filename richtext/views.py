"""The Markdown editor's live preview: what the public page would show of a text, rendered
on the server by the same code as the page (richtext/static/js/markdown-editor.js asks)."""

from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import limits
from .link_checks import link_problems
from .rendering import render


@never_cache
@require_POST
def markdown_preview(request):
    """Staff only: the sanitised HTML of the posted `text` (exactly what the public page
    shows), and what was removed or changed, and which links to this site lead nowhere."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return HttpResponseForbidden()
    text = request.POST.get("text", "")
    # The limits of a saved text (settings.MARKDOWN_MAX_CHARS and the shapes that would make
    # rendering slow), checked before rendering: the preview shows why instead.
    problems = limits.problems(text)
    if problems:
        return JsonResponse(
            {"error": " ".join(problem.message for problem in problems)},
            status=413 if problems[0].too_long else 400,
        )
    rendering = render(text)
    return JsonResponse(
        {
            "html": rendering.html,
            "removed": [finding.message for finding in rendering.removed],
            "changed": [finding.message for finding in rendering.changed],
            "links": [problem.message for problem in link_problems(text)],
        }
    )
