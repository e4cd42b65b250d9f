"""Sources as records: one citation style (APA 7) for the web, the PDF and the exports, and the exports themselves.

A citation is built from a source's fields — never typed — so every page, PDF and export of the same source reads
the same. ``parts`` keeps the italics APA asks for (journal and book titles) as data; each renderer decides how to
show them, so no typed text ever becomes markup. The guide's references can be taken away as BibTeX, RIS or
CSL-JSON for reference managers.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.db import transaction

from .models import Source

FIELDS = ("kind", "authors", "year", "title", "container", "details", "doi", "isbn", "url", "accessed", "note")
RECORD = (*FIELDS, "key", "checked_by", "checked_at")
NO_DATE = "u.å."  # APA 7 in Norwegian: "uten år"


@dataclass(frozen=True)
class Part:
    text: str
    em: bool = False


def _authors(names: list[str]) -> str:
    """APA 7: "A", "A, & B", "A, B, & C" (up to 20 names, which the catalogue never reaches)."""
    names = [name.strip() for name in names if name.strip()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def parts(record: dict) -> list[Part]:
    """The citation as text runs, italics marked; a record without a title is cited by its stored reference."""
    title = (record.get("title") or "").strip()
    if not title:
        reference, year = record.get("reference") or "", record.get("year")
        return [Part(f"{reference} ({year})" if year and str(year) not in reference else reference)]
    kind = record.get("kind") or ""
    authors = _authors(record.get("authors") or [])
    year = f"({record['year']})." if record.get("year") else f"({NO_DATE})."
    details = (record.get("details") or "").strip()
    container = (record.get("container") or "").strip()
    if container == authors:  # APA: the publisher is left out when it is the author
        container = ""
    runs: list[Part] = []
    if kind == "law":  # as Norwegian APA 7 cites acts: short title, year, the act's number, where to read it
        return [
            Part(
                f"{_end(title)} {year}"
                + (f" {_end(details)}" if details else "")
                + (f" {_end(container)}" if container else "")
            )
        ]
    if kind in ("article", "news"):
        title_runs = [Part(_end(title))]
    else:
        title_runs = [Part(title, em=True), Part(f" ({details})." if details else ".")]
        details = ""
    if authors:
        runs += [Part(f"{_end(authors)} {year} "), *title_runs]
    else:
        runs += [*title_runs, Part(f" {year}")]
    if kind == "article" and container:
        runs += [Part(" "), Part(container, em=True), Part(f", {details}." if details else ".")]
    elif kind == "news" and container:
        runs += [Part(" "), Part(container, em=True), Part(f" ({details})." if details else ".")]
    elif container:
        runs.append(Part(f" {_end(container)}"))
    return runs


def cite(record: dict) -> str:
    """The citation as plain text (APA 7), without the address: pages and PDFs link it separately."""
    return "".join(part.text for part in parts(record)).strip()


def link(record: dict) -> str:
    """Where the source can be read: its DOI as an address when it has one, else its URL."""
    doi = (record.get("doi") or "").strip()
    return f"https://doi.org/{doi}" if doi else (record.get("url") or "")


def record(source: Source) -> dict:
    """A source as plain JSON: what a guide edition freezes and the exports read."""
    data = {name: getattr(source, name) for name in RECORD}
    for name in ("accessed", "checked_at"):
        data[name] = data[name].isoformat() if data[name] else None
    data["reference"] = source.reference
    return data


@transaction.atomic
def save_source(key: str, data: dict) -> Source:
    """The starter files' source ``key``: created from its record (its reference built from the fields) when new.

    A source already stored is returned as it is: one someone has edited or checked in Trygg is never overwritten.
    An entry with only a ``reference`` (files written before sources were records) is found by that text.
    """
    structured = bool(data.get("title"))
    if structured and (existing := Source.objects.filter(key=key).first()):
        return existing
    values = {name: data[name] for name in FIELDS if data.get(name) not in (None, "")}
    if data.get("checked"):
        values["checked_at"] = data["checked"]
        values["checked_by"] = data.get("checked_by", "")
    reference = cite({**values, "reference": data.get("reference", "")})
    source = Source.objects.filter(reference=reference).first()
    if source is not None and (source.key or not structured):
        return source
    source = source or Source(reference=reference)
    for name, value in values.items():
        setattr(source, name, value)
    source.key = key if structured else None
    source.save()
    return source


def mark_checked(source: Source, who: str, when: dt.date | None = None) -> Source:
    """Record that ``who`` compared the source with the original today (or ``when``)."""
    source.checked_by = who
    source.checked_at = when or dt.date.today()
    source.save(update_fields=["checked_by", "checked_at"])
    return source


# Exports ------------------------------------------------------------------------------------------------------

_BIBTEX_TYPES = {"article": "article", "book": "book", "report": "techreport", "news": "article"}
_RIS_TYPES = {"article": "JOUR", "book": "BOOK", "report": "RPRT", "law": "STAT", "ruling": "CASE", "news": "NEWS"}
_CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "report": "report",
    "law": "legislation",
    "ruling": "legal_case",
    "news": "article-newspaper",
    "web": "webpage",
}


def _id(entry: dict) -> str:
    return entry.get("key") or f"kilde{entry['number']}"


def _bibtex_value(text: str) -> str:
    """Braces keep BibTeX from changing case; braces and backslashes typed in a title are dropped."""
    return "{" + str(text).replace("\\", "").replace("{", "").replace("}", "") + "}"


def bibtex(entries: list[dict]) -> str:
    """The references as BibTeX (UTF-8, as biber and modern BibTeX read it)."""
    out = []
    for entry in entries:
        kind = entry.get("kind") or ""
        title = entry.get("title") or entry.get("reference", "")
        fields = {
            "author": " and ".join("{" + a + "}" if "," not in a else a for a in entry.get("authors") or []),
            "title": title,
            "year": entry.get("year") or "",
            ("journal" if kind in ("article", "news") else "publisher"): entry.get("container") or "",
            "note": entry.get("details") or "",
            "doi": entry.get("doi") or "",
            "isbn": entry.get("isbn") or "",
            "url": entry.get("url") or "",
            "urldate": entry.get("accessed") or "",
        }
        body = ",\n".join(f"  {name} = {_bibtex_value(value)}" for name, value in fields.items() if value)
        out.append(f"@{_BIBTEX_TYPES.get(kind, 'misc')}{{{_id(entry)},\n{body}\n}}\n")
    return "\n".join(out)


def ris(entries: list[dict]) -> str:
    """The references as RIS, the format most reference managers import."""
    lines = []
    for entry in entries:
        lines.append(f"TY  - {_RIS_TYPES.get(entry.get('kind') or '', 'GEN')}")
        lines += [f"AU  - {author}" for author in entry.get("authors") or []]
        for tag, value in (
            ("TI", entry.get("title") or entry.get("reference", "")),
            ("PY", entry.get("year")),
            ("T2" if entry.get("kind") in ("article", "news") else "PB", entry.get("container")),
            ("VL", entry.get("details")),
            ("DO", entry.get("doi")),
            ("SN", entry.get("isbn")),
            ("UR", entry.get("url")),
            ("Y2", entry.get("accessed")),
            ("N1", entry.get("note")),
        ):
            if value:
                lines.append(f"{tag}  - {value}")
        lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def _csl_name(name: str) -> dict:
    if "," in name:
        family, given = name.split(",", 1)
        return {"family": family.strip(), "given": given.strip()}
    return {"literal": name}


def csl_json(entries: list[dict]) -> str:
    """The references as CSL-JSON, which Zotero, Pandoc and citeproc read."""
    items = []
    for entry in entries:
        item = {
            "id": _id(entry),
            "type": _CSL_TYPES.get(entry.get("kind") or "", "document"),
            "title": entry.get("title") or entry.get("reference", ""),
        }
        if entry.get("authors"):
            item["author"] = [_csl_name(name) for name in entry["authors"]]
        if entry.get("year"):
            item["issued"] = {"date-parts": [[entry["year"]]]}
        if entry.get("container"):
            item["container-title" if entry.get("kind") in ("article", "news") else "publisher"] = entry["container"]
        for name, csl in (("doi", "DOI"), ("isbn", "ISBN"), ("url", "URL"), ("details", "note")):
            if entry.get(name):
                item[csl] = entry[name]
        if entry.get("accessed"):
            item["accessed"] = {"date-parts": [[int(p) for p in entry["accessed"].split("-")]]}
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


EXPORTS = {"bib": bibtex, "ris": ris, "json": csl_json}  # by file extension


def shown(entry: dict) -> dict:
    """A source ready for a page or a PDF: citation runs, a safe address, and whether anyone has checked it."""
    address = link(entry)
    return {
        "parts": [{"text": part.text, "em": part.em} for part in parts(entry)],
        "text": cite(entry),
        "link": address if address.startswith(("https://", "http://")) else "",
        # None: an entry from before sources were records (an older edition), which says nothing either way.
        "checked": bool(entry.get("checked_at")) if "checked_at" in entry else None,
        "checked_by": entry.get("checked_by") or "",
        "checked_at": entry.get("checked_at"),
    }
