"""The Markdown editor's live preview: what the public page would show of a text, rendered
on the server by the same code as the page (richtext/static/js/markdown-editor.js asks)."""

from django.http import HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .link_checks import link_problems
from .rendering import render

# Longest text the preview renders (a long page is a few tens of thousands of characters).
PREVIEW_MAX_CHARS = 200_000


@never_cache
@require_POST
def markdown_preview(request):
    """Staff only: the sanitised HTML of the posted `text` (exactly what the public page
    shows), and what was removed or changed, and which links to this site lead nowhere."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return HttpResponseForbidden()
    text = request.POST.get("text", "")
    if len(text) > PREVIEW_MAX_CHARS:
        return JsonResponse({"error": _("The text is too long to preview.")}, status=413)
    rendering = render(text)
    return JsonResponse(
        {
            "html": rendering.html,
            "removed": [finding.message for finding in rendering.removed],
            "changed": [finding.message for finding in rendering.changed],
            "links": [problem.message for problem in link_problems(text)],
        }
    )
