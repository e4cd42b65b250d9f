"""The library's tables: documents with their metadata and access, their pages of text, and the index behind search
and similar documents.

A page's ``terms`` is its text as the search sees it (Norwegian stems and compound parts, ``text.terms``); the
database's full-text index (FTS5 on SQLite, a GIN index on PostgreSQL) is built over that column, so both databases
match the same words. ``KeyTerm`` holds each document's strongest TF-IDF terms, from which similar documents are
found and explained; ``Neighbour`` keeps each document's nearest, computed when it is indexed, and ``TermCount`` how
many documents use each term (a term's rarity), kept as documents come.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT = "report", _("Research report")
    SLIDES = "slides", _("Slides")
    GUIDE = "guide", _("Guide")
    HEARING = "hearing", _("Hearing response")
    ARTICLE = "article", _("Article")


class Access(models.TextChoices):
    """Who may open a document — and so who may learn that it exists."""

    PUBLIC = "public", _("Everyone")
    MUNICIPALITIES = "municipalities", _("All municipalities")
    KS = "ks", _("KS only")


class Language(models.TextChoices):
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other")


class FileType(models.TextChoices):
    """What the file is, sniffed from its content (never taken from its name)."""

    PDF = "pdf", "PDF"
    PPTX = "pptx", "PowerPoint"
    DOCX = "docx", "Word"
    ODT = "odt", "OpenDocument"
    TEXT = "txt", _("Plain text")
    MARKDOWN = "md", "Markdown"


class Document(models.Model):
    class State(models.TextChoices):
        PROCESSING = "processing", _("Reading the text")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be read")

    title = models.CharField(_("title"), max_length=300)
    authors = models.JSONField(_("authors"), default=list, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    access = models.CharField(_("access"), max_length=20, choices=Access.choices, default=Access.MUNICIPALITIES)
    summary = models.TextField(_("summary"), blank=True)
    source_note = models.TextField(_("source"), blank=True)
    # The original as uploaded, through Django's storage (a directory or S3); served only as an attachment.
    file = models.FileField(_("file"), upload_to="library/%Y/", max_length=300)
    file_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=10, choices=FileType.choices)
    thumbnail = models.FileField(_("first page as a picture"), upload_to="library/thumbnails/%Y/", blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.PROCESSING)
    problem = models.CharField(_("problem"), max_length=300, blank=True)  # why reading failed, for the uploader
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    # The length of its key terms' TF-IDF vector before normalising: the library's mean is the pivot (``index``).
    key_length = models.FloatField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The library owns its links to the apps below it (string references; they ask ``library.links`` back).
    events = models.ManyToManyField("events.Event", blank=True, related_name="+", verbose_name=_("events"))
    talks = models.ManyToManyField(
        "events.ProgrammeItem", blank=True, related_name="+", verbose_name=_("talks (the slides of a talk)")
    )
    sources = models.ManyToManyField(
        "measures.Source", blank=True, related_name="+", verbose_name=_("the measures' sources it is the text of")
    )
    edition = models.ForeignKey(
        "measures.Edition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edition of the guide"),
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["state", "access"])]

    def __str__(self):
        return self.title


class Page(models.Model):
    """One page of a PDF, one slide of a presentation, or one page break's worth of another document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    terms = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="library_page_unique_number")]
        # Search reads a page's document through this index alone, never the row with its text (``search``).
        indexes = [models.Index(fields=["id", "document"], name="library_page_id_document")]

    def __str__(self):
        return f"{self.document_id}:{self.number}"


class Word(models.Model):
    """A stem seen as a word of its own in the library: the corpus half of the decompounder's dictionary."""

    stem = models.CharField(max_length=100, unique=True)

    def __str__(self):
        return self.stem


class KeyTerm(models.Model):
    """One of a document's strongest terms, weighted by TF-IDF and divided by the document's pivoted length."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="key_terms")
    term = models.CharField(max_length=100)
    label = models.CharField(max_length=100)  # the word the term most often came from, shown as the reason
    weight = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["term"]), models.Index(fields=["document", "weight"])]

    def __str__(self):
        return self.term


class TermCount(models.Model):
    """How many documents use a term: its rarity, for weighing a new document's key terms without reading the rest."""

    term = models.CharField(max_length=100, unique=True)
    documents = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.term}: {self.documents}"


class Neighbour(models.Model):
    """One of a document's nearest documents by content: the cosine of their key terms and the terms they share."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="neighbours")
    other = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    shared = models.JSONField(default=list)  # the shared key terms that weigh most, as the document's words

    class Meta:
        indexes = [models.Index(fields=["document", "-score"])]

    def __str__(self):
        return f"{self.document_id} ~ {self.other_id}"
