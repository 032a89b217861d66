"""Documents: reports and presentations, with their file (or a note that the file is not on
the portal), listed on the pages of the regions and projects they belong to."""

import secrets
from pathlib import PurePath

from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.text import format_lazy, get_valid_filename
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from iati.codelists import activity_document_category_choices
from projects.models import Project
from publishing.models import Publishable, PublishableQuerySet, live_q
from regions.models import Region
from richtext.fields import MARKDOWN_HELP, MarkdownField

from . import files


class Language(models.TextChoices):
    # Django's language codes where it has one; Montenegrin has none: ISO 639-3 "cnr".
    ENGLISH = "en", _("English")
    ALBANIAN = "sq", _("Albanian")
    BOSNIAN = "bs", _("Bosnian")
    CROATIAN = "hr", _("Croatian")
    SERBIAN = "sr", _("Serbian")
    MACEDONIAN = "mk", _("Macedonian")
    MONTENEGRIN = "cnr", _("Montenegrin")
    TURKISH = "tr", _("Turkish")


DEFAULT_UNAVAILABLE_NOTE = _("The file itself is not available on the portal.")


def document_path(document, filename):
    """documents/<random>.<extension of the type found in the content>: never a name or a
    path the uploader chose (the original name is kept only as the download name)."""
    kind = files.KINDS_BY_CODE.get(document.file_type)
    # No type yet only when a caller stores a file without Document.save() identifying it.
    return f"documents/{secrets.token_urlsafe(18)}.{kind.extension if kind else 'bin'}"


def validate_document_file(value):
    """Checks a new upload's content (a stored file was checked when it was uploaded)."""
    if value and not getattr(value, "_committed", True):
        files.identify(value.file)


class DocumentQuerySet(PublishableQuerySet):
    def in_region(self, region):
        return self.filter(regions=region)

    def of_project(self, project):
        return self.filter(projects=project)

    def for_iati(self):
        """Public documents with an IATI category: those an IATI activity links."""
        return self.live().exclude(iati_category="").order_by("date", "title", "pk")

    def newest_first(self):
        return self.order_by(models.F("date").desc(nulls_last=True), "title", "pk")

    def for_listing(self):
        """With the published regions and projects each is shown with."""
        return self.prefetch_related(
            models.Prefetch("regions", queryset=Region.objects.filter(live_q())),
            models.Prefetch("projects", queryset=Project.objects.filter(live_q())),
        )


class DocumentManager(models.Manager.from_queryset(DocumentQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Document(Publishable):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    date = models.DateField(
        _("publication date"), null=True, blank=True, help_text=_("Blank if not known.")
    )
    language = models.CharField(
        _("language"), max_length=3, choices=Language.choices, default=Language.ENGLISH
    )
    author = models.CharField(
        _("author or organisation"),
        max_length=300,
        blank=True,
        help_text=_("Who wrote or published it, as the document says; blank if it does not say."),
    )
    description = MarkdownField(
        _("description"),
        blank=True,
        help_text=format_lazy(
            "{} {}", _("What the document is about, in a few sentences."), MARKDOWN_HELP
        ),
    )
    file = models.FileField(
        _("file"),
        upload_to=document_path,
        max_length=200,
        blank=True,
        validators=[validate_document_file],
        help_text=_(
            "PDF, Word (DOCX), PowerPoint (PPTX), Excel (XLSX) or OpenDocument (ODT, ODP, ODS). "
            "Checked by its content. Leave blank when the file cannot be put on the portal."
        ),
    )
    # Facts about the file, set on save from the file itself (not in the form).
    original_name = models.CharField(
        _("original file name"),
        max_length=200,
        blank=True,
        help_text=_("The name it was uploaded with: the name readers download it as."),
    )
    file_type = models.CharField(
        _("file type"),
        max_length=5,
        blank=True,
        choices=[(code, code) for code in files.KINDS_BY_CODE],
    )
    file_size = models.PositiveBigIntegerField(_("file size in bytes"), null=True, blank=True)
    unavailable_note = models.TextField(
        _("note when there is no file"),
        blank=True,
        help_text=format_lazy(
            "{} “{}”",
            _("Shown instead of a download link when there is no file. Blank:"),
            DEFAULT_UNAVAILABLE_NOTE,
        ),
    )
    iati_category = models.CharField(
        _("IATI document category"),
        max_length=3,
        blank=True,
        choices=activity_document_category_choices,
        help_text=_(
            "What kind of document it is, in IATI's words: the IATI file of each of its "
            "projects links it. Blank: not linked from the IATI file."
        ),
    )
    regions = models.ManyToManyField(
        Region, related_name="documents", blank=True, verbose_name=_("regions")
    )
    projects = models.ManyToManyField(
        Project, related_name="documents", blank=True, verbose_name=_("projects")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_default=Now())

    objects = DocumentManager()
    history = HistoricalRecords(m2m_fields=[regions, projects])

    revision_children = ()

    class Meta(Publishable.Meta):
        ordering = ["-date", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [("publish_document", _("Can publish and unpublish documents"))]
        constraints = [
            *Publishable.Meta.constraints,
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="document_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(file="", file_type="", file_size__isnull=True, original_name="")
                | (
                    ~Q(file="")
                    & Q(file_type__in=list(files.KINDS_BY_CODE), file_size__isnull=False)
                ),
                name="document_file_facts_match_file",
                violation_error_message=_(
                    "The file type and size are those of the file (none without a file)."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:document-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    @property
    def file_url(self):
        """Where readers download the file: a view that applies the page's publication rule
        (documents.views.DocumentFileView), never the stored file's MEDIA_URL address."""
        if not self.file:
            return ""
        return reverse("documents:document-file", kwargs={"slug": self.slug})

    @property
    def note_without_file(self):
        return self.unavailable_note or DEFAULT_UNAVAILABLE_NOTE

    @property
    def download_name(self):
        if not self.file:
            return ""
        return self.original_name or f"{self.slug}.{self.kind.extension}"

    @property
    def kind(self):
        return files.KINDS_BY_CODE.get(self.file_type)

    def save(self, *args, **kwargs):
        self.set_file_facts()
        super().save(*args, **kwargs)

    def set_file_facts(self):
        """Type, size and download name from the file: a new upload is identified by its
        content (again: whatever called save() may not have validated it)."""
        if not self.file:
            self.file_type, self.file_size, self.original_name = "", None, ""
            return
        if not self.file._committed:
            kind = files.identify(self.file.file)
            self.file_type = kind.code
            self.file_size = self.file.size
            self.original_name = download_name(self.file.name, kind)
        elif self.file_size is None or not self.file_type:
            # A file stored by other means (a fixture, a shell): identified once, from storage.
            with self.file.open("rb") as stored:
                self.file_type = files.identify(stored).code
            self.file_size = self.file.size


def download_name(uploaded_name, kind):
    """The uploader's file name, reduced to a safe base name, with the extension of what the
    file really is: "../../Annual report.PDF" -> "Annual_report.pdf"."""
    stem = PurePath(uploaded_name.replace("\\", "/")).stem.strip(". ")
    try:
        stem = get_valid_filename(stem)[:150].strip(".")
    except SuspiciousFileOperation:  # nothing usable left
        stem = ""
    return f"{stem or 'document'}.{kind.extension}"
