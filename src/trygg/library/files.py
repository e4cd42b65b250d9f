"""What an uploaded file is, judged from its content, and whether its zip container is safe to open.

Pure Python without Django, so the web process (to refuse at once) and the extraction process (to check again
before parsing) share it. Problems are codes; ``services.PROBLEMS`` says them in the user's language.
"""

import io
import zipfile

# Limits for zip containers (PPTX, DOCX, ODT), checked on the central directory before anything is inflated.
MAX_ENTRIES = 5000
MAX_UNPACKED = 300 * 1024 * 1024  # bytes, all entries together
MAX_ENTRY = 100 * 1024 * 1024  # bytes, one entry
MAX_RATIO = 200  # unpacked / packed, for entries larger than RATIO_FROM
RATIO_FROM = 1024 * 1024

ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
TEXT_EXTENSIONS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md"}
EXTENSIONS = {"pdf": "pdf", "pptx": "pptx", "docx": "docx", "odt": "odt", **TEXT_EXTENSIONS}


class Problem(Exception):
    """A file the library will not take; ``code`` names why (see ``services.PROBLEMS``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs from the central directory alone: too many entries, too large, or packed too tightly."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise Problem("zip_bomb")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > MAX_ENTRY or total > MAX_UNPACKED:
            raise Problem("zip_bomb")
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise Problem("zip_bomb")


def _zip_type(data: io.BufferedIOBase) -> str:
    try:
        archive = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Problem("corrupt") from error
    with archive:
        check_zip(archive)
        names = set(archive.namelist())
        if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE:
            return "odt"
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "ppt/presentation.xml" in names:
                return "pptx"
    raise Problem("unknown_type")


def sniff(data: io.BufferedIOBase, name: str) -> str:
    """The file's type ("pdf", "pptx", "docx", "odt", "txt" or "md") from its bytes; the name only tells plain text
    from Markdown. Raises ``Problem`` when the content is empty, unknown, broken or not what the name says."""
    data.seek(0)
    head = data.read(8)
    data.seek(0)
    if not head:
        raise Problem("empty")
    if head.startswith(b"%PDF-"):
        found = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        found = _zip_type(data)
    else:
        found = _text_type(data, name)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = EXTENSIONS.get(extension)
    if claimed is None:
        raise Problem("unknown_type")
    if claimed != found and not (claimed in ("txt", "md") and found in ("txt", "md")):
        raise Problem("wrong_extension")
    return found


def _text_type(data: io.BufferedIOBase, name: str) -> str:
    """UTF-8 text without control characters other than tabs, line breaks and page breaks."""
    sample = data.read(1024 * 1024)
    data.seek(0)
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            raise Problem("unknown_type") from error
        text = sample[: error.start].decode("utf-8")
    if any(ord(char) < 32 and char not in "\t\n\r\f" for char in text):
        raise Problem("unknown_type")
    return TEXT_EXTENSIONS.get(name.rsplit(".", 1)[-1].lower(), "txt")
