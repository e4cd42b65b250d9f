"""Background work of the library: reading an uploaded file's text and indexing it, and rebuilding the whole index."""

from django.urls import reverse
from django.utils.translation import gettext as _

from trygg.core.jobs.progress import Failed, job_task

from . import index, services
from .models import Document


@job_task(attempts=2)
def read(progress, document_pk: int) -> None:
    document = Document.objects.filter(pk=document_pk).first()
    if document is None:
        raise Failed(_("The document is gone."))
    progress.update(10, _("Reading the text in a separate process …"))
    try:
        pages = services.read_file(document)
    except services.UploadRefused as refused:
        services.fail_reading(document, refused.message)
        raise Failed(refused.message) from refused
    progress.update(70, _("Indexing %(pages)d pages and finding similar documents …") % {"pages": len(pages)})
    services.finish_reading(document, pages)
    progress.update(90, _("Drawing the first page …"))
    services.make_thumbnail(document)
    progress.finish(
        reverse("library:document", args=[document.pk]),
        _("The text of %(pages)d pages is read and can be searched.") % {"pages": len(pages)},
    )


@job_task(attempts=2)
def rebuild(progress) -> None:
    """Every page with today's word list, and every document's key terms and neighbours."""
    message = _("Reading every document again …")
    count = index.rebuild(lambda percent: progress.update(percent, message))
    progress.finish(reverse("library:list"), _("The index of %(count)d documents is rebuilt.") % {"count": count})
