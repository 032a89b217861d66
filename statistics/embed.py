"""The embed code other sites paste: the chart's <iframe> and a few lines of script that let
the frame take its content's height.

Inside the frame, static/js/embed-frame.js posts the content's height to the framing page:
a message `{"type": EMBED_MESSAGE_TYPE, "height": <number>}`, nothing else (the height is no
secret, so it goes to any framing origin: the portal cannot know which sites embed it). The
script in the embed code, on the other site, takes a message only from the portal's origin
(SITE_URL) and only from its own frame (`event.source`), and only a plausible number; the
iframe's `height` attribute is the fixed size it keeps without JavaScript.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import escape

# The message's type name: the framing page may receive other sites' messages too.
EMBED_MESSAGE_TYPE = "wbportal-embed-height"

# The frame's size in the embed code: the chart's width; the height it keeps when the framing
# page runs no script (the title and the attribution above the chart fit in it, the chart
# scrolls inside the frame).
EMBED_WIDTH, EMBED_HEIGHT = 680, 520

# A height the framing page will not take: a frame never needs more than this.
EMBED_MAX_HEIGHT = 10000

_DEFAULT_PORTS = {"http": 80, "https": 443}


def site_origin():
    """SITE_URL as browsers write an origin (`event.origin`): host in lower case, no default
    port."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    port = parts.port
    if port is None or port == _DEFAULT_PORTS.get(parts.scheme):
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


# The framing page's script, after the iframe: its frame is the nearest iframe before the
# script (an editor may put a <br> between them). Written for older browsers too (no arrow
# functions), and short.
_PARENT_SCRIPT = (
    "<script>(function(f){{while(f&&f.tagName!=='IFRAME')f=f.previousElementSibling;"
    "if(f)addEventListener('message',function(e){{var d=e.data;"
    "if(e.origin!=={origin}||e.source!==f.contentWindow||!d||d.type!=={type})return;"
    "var h=Number(d.height);if(h>0&&h<={max})f.style.height=Math.ceil(h)+'px'}})}})"
    "(document.currentScript.previousElementSibling)</script>"
)


def embed_snippet(embed_url, title):
    """The embed code to paste into another site (plain text, escaped where it is shown):
    the sized, titled, lazily loaded <iframe> (no more referrer than the origin), then the
    script that fits its height to the content."""
    frame = (
        f'<iframe src="{escape(embed_url)}" title="{escape(title)}" width="{EMBED_WIDTH}" '
        f'height="{EMBED_HEIGHT}" loading="lazy" style="border:0;max-width:100%" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    script = _PARENT_SCRIPT.format(
        origin=json.dumps(site_origin()).replace("<", "\\u003c"),
        type=json.dumps(EMBED_MESSAGE_TYPE),
        max=EMBED_MAX_HEIGHT,
    )
    return f"{frame}\n{script}"
