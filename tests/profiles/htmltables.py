"""Read the tables of an HTML page (standard library only): each ``<table id=…>`` as its rows of
cell texts (header and body cells alike), white space collapsed; ``<svg>`` content is skipped."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.attrs: dict[str, list[dict]] = {}
        self._stack: list[str] = []
        self._row: list[str] | None = None
        self._row_attrs: dict = {}
        self._cell: list[str] | None = None
        self._svg = 0

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self._svg += 1
        if tag == "table":
            self._stack.append(dict(attrs).get("id") or f"table-{len(self.tables)}")
            self.tables[self._stack[-1]] = []
            self.attrs[self._stack[-1]] = []
        elif tag == "tr" and self._stack:
            self._row, self._row_attrs = [], dict(attrs)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg -= 1
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell).replace("\u00a0", " ")).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._stack:
            self.tables[self._stack[-1]].append(self._row)
            self.attrs[self._stack[-1]].append(self._row_attrs)
            self._row = None
        elif tag == "table" and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._cell is not None and not self._svg:
            self._cell.append(data)


def read_tables(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    return parser


def tables(html: str) -> dict[str, list[list[str]]]:
    """Table id → rows (lists of cell texts, no-break spaces as spaces)."""
    return read_tables(html).tables


def body_rows(rows: list[list[str]]) -> list[list[str]]:
    """The rows after the header row."""
    return rows[1:]
