"""Where a library image is used: every foreign key to it (a hero image, a project image, a
portrait, the site's logo), found through the models' relations, and every text that shows it
by reference (`![…](library:42)`) or links to its file, read from the links app's index of
references (recorded on save, links.scanning). The admin lists these on the image's page
and refuses to delete an image while the list is not empty (`Image.delete()` refuses while a
text shows it; foreign keys protect it themselves)."""

from links.usage import Use, relation_uses, text_uses

from .models import Image


def foreign_key_uses(image: Image) -> list[Use]:
    # The library's own rows (the uploader) are no use of an image.
    return [use for use in relation_uses(image) if use.obj._meta.app_label != "library"]


def uses_of(image: Image) -> list[Use]:
    return foreign_key_uses(image) + text_uses(image)
