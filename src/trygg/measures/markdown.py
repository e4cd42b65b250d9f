"""The one door for text editors write: sanitised Markdown, shown as HTML on the web and as blocks in PDFs.

Editors write Markdown; raw HTML is refused when saved (``html_found``) so nobody's text silently changes, and
rendering escapes it anyway, then passes the result through nh3 (Ammonia) with a short allow-list as a second wall.
"""

import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "h3", "h4", "blockquote", "code", "br", "hr"}
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>|<!--")


def html_found(text: str) -> list[str]:
    """The HTML tags in ``text`` (as typed), so the form can say which ones are not allowed."""
    return [match.group(0) for match in _HTML_TAG.finditer(text or "")]


@lru_cache(maxsize=4096)
def to_html(text: str) -> SafeString:
    """Markdown as safe HTML. Headings are pushed down to h3/h4: they sit inside a page that has its own h1/h2.

    The HTML depends on the text alone, so each process keeps the latest results: the guide shows some 260 texts
    per page, and parsing them again on every view was most of its response time.
    """
    source = re.sub(r"^(#{1,2})(?=\s)", "###", text or "", flags=re.MULTILINE)
    html = _parser.render(source)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 — sanitised by nh3 on the line above


def to_text(text: str) -> str:
    """Markdown as the plain words a reader sees (no ``**``, ``#`` or list marks): what a comparison shows."""
    parts = []
    for token in _parser.parse(text or ""):
        if token.type == "inline":
            parts.append(
                "".join(" " if c.type in ("softbreak", "hardbreak") else c.content for c in token.children or [])
            )
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return " ".join(parts)


def to_blocks(text: str) -> list[dict]:
    """Markdown as simple blocks for Typst, so no markup a user typed ever reaches the typesetter.

    A block is {"kind": "p" | "h" | "quote", "spans": [...]} or {"kind": "ul" | "ol", "items": [[block, ...], ...]};
    a span is {"text", "strong", "em", "href"}.
    """
    blocks: list[dict] = []
    lists: list[dict] = []  # the open lists, innermost last
    quote = 0
    kind = "p"

    def container() -> list:
        return lists[-1]["items"][-1] if lists else blocks

    for token in _parser.parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            block = {"kind": "ul" if token.type == "bullet_list_open" else "ol", "items": []}
            container().append(block)
            lists.append(block)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            lists[-1]["items"].append([])
        elif token.type == "blockquote_open":
            quote += 1
        elif token.type == "blockquote_close":
            quote -= 1
        elif token.type == "heading_open":
            kind = "h"
        elif token.type == "paragraph_open":
            kind = "quote" if quote else "p"
        elif token.type == "inline":
            container().append({"kind": kind, "spans": _spans(token.children or [])})
        elif token.type in ("fence", "code_block"):
            container().append({"kind": "p", "spans": [_span(token.content.rstrip())]})
    return blocks


def _span(text: str, strong: bool = False, em: bool = False, href: str = "") -> dict:
    return {"text": text, "strong": strong, "em": em, "href": href}


def _spans(children) -> list[dict]:
    spans = []
    strong = em = 0
    href = ""
    for child in children:
        if child.type == "strong_open":
            strong += 1
        elif child.type == "strong_close":
            strong -= 1
        elif child.type == "em_open":
            em += 1
        elif child.type == "em_close":
            em -= 1
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            href = ""
        elif child.type in ("text", "code_inline"):
            spans.append(_span(child.content, strong > 0, em > 0, href))
        elif child.type in ("softbreak", "hardbreak"):
            spans.append(_span(" "))
    return spans
