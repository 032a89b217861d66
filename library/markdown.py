"""Library images in Markdown: `![alt](library:42)` (or `image:42`) becomes the image's
responsive <picture>, the same as the `library_picture` template tag renders. Blank alt
text takes the library's. An image alone in its paragraph becomes a <figure> with the
image's caption, credit and licence, like a hero's. An image anywhere else (inside a
sentence, a list, a table or a link) is shown without them, and is reported: the licence is
the condition of use, so the admin refuses to save such a text until the image stands on its
own lines (the editor's image button inserts it so). An id with no image is removed and
reported (which refuses the save in the admin, as every removal does).

The same references tell the links index which images a text shows (`references`), so the
library's "where it is used" never searches the texts."""

import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown as markdown_lib
from django.utils.translation import gettext
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from richtext.rendering import BUILTIN_EXTENSIONS
from richtext.sanitiser import Finding

from .forms import LICENCE_URL_SCHEMES
from .models import Image
from .renditions import shown_picture
from .sizes import prose_sizes

# The address of a library image in Markdown: `library:42` or `image:42`.
REFERENCE = re.compile(r"^(?:library|image):(\d{1,12})$")
# Any text that may show a library image, inline (`](library:42)`) or through a reference
# definition (`[photo]: library:42`): such a text is rendered afresh, never memoised. A
# broader net than Markdown's own grammar on purpose: a false match only costs a render.
_ANY_REFERENCE = re.compile(r"(?:library|image):\d")


def referenced_id(url):
    """The image id of a Markdown image address such as 'library:42', else None."""
    match = REFERENCE.match((url or "").strip())
    return int(match[1]) if match else None


def picture_element(picture, alt, sizes):
    element = etree.Element("picture")
    etree.SubElement(
        element, "source", {"type": "image/webp", "srcset": picture.webp_srcset, "sizes": sizes}
    )
    largest = picture.largest
    etree.SubElement(
        element,
        "img",
        {
            "src": picture.default.url,
            "srcset": picture.fallback_srcset,
            "sizes": sizes,
            "width": str(largest.width),
            "height": str(largest.height),
            "alt": alt,
            "loading": "lazy",
            "decoding": "async",
        },
    )
    return element


def caption_element(image):
    """What templates/includes/library_figure.html writes under a hero: the caption, then
    the credit and the licence (shown even without a credit: it is the condition of use)."""
    if not (image.caption or image.credit or image.licence):
        return None
    figcaption = etree.Element("figcaption")
    figcaption.text = image.caption
    if image.credit or image.licence:
        line = (
            gettext("Image: %(credit)s") % {"credit": image.credit}
            if image.credit
            else gettext("Image licence:")
        )
        separator = ", " if image.credit else " "
        if image.caption:
            etree.SubElement(figcaption, "br").tail = line
        else:
            figcaption.text = line
        if image.licence:
            last = figcaption[-1] if len(figcaption) else None
            # Only a web address is linked (the image form asks for one): another kind, stored
            # before it did, would be removed by the sanitiser and refuse every text's save.
            if urlsplit(image.licence_url).scheme.lower() in LICENCE_URL_SCHEMES:
                link = etree.SubElement(figcaption, "a", {"href": image.licence_url})
                link.text = image.licence
                if last is None:
                    figcaption.text += separator
                else:
                    last.tail += separator
            elif last is None:
                figcaption.text += separator + image.licence
            else:
                last.tail += separator + image.licence
    return figcaption


def _alone_in_paragraph(parent, child):
    return (
        parent.tag == "p"
        and len(parent) == 1
        and not (parent.text or "").strip()
        and not (child.tail or "").strip()
    )


class LibraryImageTreeprocessor(Treeprocessor):
    def run(self, root):
        found = [
            (parent, child, referenced_id(child.get("src")))
            for parent in root.iter()
            for child in parent
            if child.tag == "img" and referenced_id(child.get("src")) is not None
        ]
        if not found:
            return
        images = Image.objects.in_bulk({pk for _parent, _child, pk in found})
        for parent, child, pk in found:
            index = list(parent).index(child)
            image = images.get(pk)
            # An image whose sizes cannot be made is left out (logged), the text still shown.
            shown = shown_picture(image) if image is not None else None
            if image is None:
                getattr(self.md, "findings", []).append(
                    Finding("library-image", detail=child.get("src", ""))
                )
                parent.remove(child)
                replacement = None
            elif shown is None:
                parent.remove(child)
                replacement = None
            else:
                alt = (child.get("alt") or "").strip() or image.alt_text
                replacement = picture_element(shown, alt, prose_sizes(shown))
                alone = _alone_in_paragraph(parent, child)
                if not alone:
                    getattr(self.md, "findings", []).append(
                        Finding("library-image-inline", detail=f"“{alt}” ({child.get('src')})")
                    )
                caption = caption_element(image) if alone else None
                parent.insert(index, replacement)
                parent.remove(child)
                if caption is not None:
                    parent.tag = "figure"
                    parent.append(caption)
            self._keep_tail(parent, index, replacement, child.tail)

    @staticmethod
    def _keep_tail(parent, index, replacement, tail):
        if not tail:
            return
        if replacement is not None:
            replacement.tail = tail
        elif index:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


class ReferenceCollector(Treeprocessor):
    """Notes the library image ids of the <img> elements Markdown made, changing nothing."""

    def run(self, root):
        for element in root.iter("img"):
            image_id = referenced_id(element.get("src"))
            if image_id is not None:
                self.md.library_image_ids.append(image_id)


class ReferenceCollectorExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # Where LibraryImageTreeprocessor runs: after inline patterns (20) made the <img>.
        md.treeprocessors.register(ReferenceCollector(md), "library_image_ids", 6)


def referenced_ids(text: str) -> list[int]:
    """The ids of the library images `text` shows, in order, each once. Markdown itself
    finds them, as the renderer does: inline (`![a](library:42)`) and reference-style
    (`![a][photo]` with `[photo]: library:42`) images count, an address in a code block or
    in a link's text does not."""
    if "library:" not in text and "image:" not in text:
        return []
    md = markdown_lib.Markdown(extensions=[*BUILTIN_EXTENSIONS, ReferenceCollectorExtension()])
    md.library_image_ids = []
    md.convert(text)
    return list(dict.fromkeys(md.library_image_ids))


class LibraryImageExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        # After inline patterns (20) made the <img>; before the sanitiser (5) checks it.
        md.treeprocessors.register(LibraryImageTreeprocessor(md), "library_images", 6)

    @staticmethod
    def reads_database(text):
        return bool(_ANY_REFERENCE.search(text))

    @staticmethod
    def references(text):
        """(model, id) of each object `text` refers to in this extension's syntax: the links
        index records them (links.scanning)."""
        return [(Image, image_id) for image_id in referenced_ids(text)]
