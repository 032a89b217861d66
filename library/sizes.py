"""The `sizes` of library images: the width the public stylesheet (static/css/site.css) gives
them at each breakpoint, so that browsers download the file that fits, no larger.

Kept beside the CSS rules they mirror: change one, change the other.
"""

# `main` is at most 64rem wide with 1rem padding on each side (box-sizing: border-box):
# the content column is the window less 2rem up to a 64rem window, then 62rem.
PAGE_MAX_WIDTH = "64rem"
NARROW_COLUMN = "calc(100vw - 2rem)"
COLUMN = "62rem"
# `.hero-uncropped img`: width auto, at most the column wide and 60vh high.
UNCROPPED_MAX_HEIGHT_VH = 60


def column_sizes(*at_most):
    """Across the content column; no wider than any of `at_most` (CSS lengths)."""
    if not at_most:
        return f"(max-width: {PAGE_MAX_WIDTH}) {NARROW_COLUMN}, {COLUMN}"
    limits = ", ".join(at_most)
    return f"(max-width: {PAGE_MAX_WIDTH}) min({NARROW_COLUMN}, {limits}), min({COLUMN}, {limits})"


def hero_sizes(picture, cropped):
    """A hero (templates/includes/library_figure.html). Cropped, it fills the column
    (`.hero img`: width 100%). Uncropped (a project's image) its width is auto: the column's,
    unless 60vh of height makes it narrower, and never wider than its largest rendition (the
    size the `sizes` itself gives it, as its width and height attributes say)."""
    if cropped:
        return column_sizes()
    largest = picture.largest
    by_height = UNCROPPED_MAX_HEIGHT_VH * largest.width / largest.height
    return column_sizes(f"{largest.width}px", f"{by_height:.2f}vh")


def prose_sizes(picture):
    """An image in a Markdown text (`.prose img`: at most 100% of the column, else its width
    attribute, i.e. its largest rendition's width)."""
    return column_sizes(f"{picture.largest.width}px")
