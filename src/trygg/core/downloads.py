"""File downloads from any app's views, named for people (e.g. "situasjonsnotat-2011.pdf")."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}


def filename(parts: list[str], extension: str) -> str:
    """The name joins ``parts`` as slugs (æøå kept), e.g. "situasjonsnotat-2011.pdf"."""
    return "-".join(slugify(part, allow_unicode=True)[:80] for part in parts) + f".{extension}"


def download(content: bytes, parts: list[str], extension: str, inline: bool = False) -> HttpResponse:
    """A response with the file, named from ``parts``. PDFs may open in the browser."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(not inline, filename(parts, extension))
    return response
