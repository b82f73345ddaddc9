"""Tables of query answers: text for a terminal, aligned by display width (a Chinese character takes two
columns), and HTML for a notebook, the same table as the pages show."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import NamedTuple

from wcwidth import wcswidth, wcwidth

__all__ = ["render_table", "render_html_table", "Cell", "display_width"]


def display_width(text: str) -> int:
    """The number of terminal columns ``text`` takes.

    >>> display_width("人工智能"), display_width("AI"), display_width("人工\x07智能")
    (8, 2, 8)
    """
    width = wcswidth(text)
    if width >= 0:
        return width
    # a control character somewhere: count it as nothing and the rest as usual
    return sum(max(wcwidth(char), 0) for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _one_line(text: str) -> str:
    """A cell on one line: line breaks and tabs become spaces, so rows stay rows."""
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    """Render rows as an aligned text table (or a Markdown table).

    >>> print(render_table(["id", "label"], [["ai", "人工智能"], ["robotics", "机器人"]]), end="")
    id        label
    --------  --------
    ai        人工智能
    robotics  机器人
    """
    header = [_one_line(h) for h in header]
    cells = [[_one_line(c) for c in row] for row in rows]
    if markdown:
        cells = [[c.replace("|", "\\|") for c in row] for row in cells]
    widths = [display_width(h) for h in header]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], display_width(cell))
    if markdown:
        lines = [
            "| " + " | ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)) + " |",
            "|" + "|".join("-" * (w + 2) for w in widths) + "|",
        ]
        lines += ["| " + " | ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells]
    else:
        lines = [
            "  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip(),
            "  ".join("-" * w for w in widths),
        ]
        lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    return "\n".join(lines) + "\n"


class Cell(NamedTuple):
    """A cell of an HTML table: its text, a title shown on hover (a full IRI), and whether it is a number."""

    text: str
    title: str = ""
    numeric: bool = False


def render_html_table(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """Render rows as the HTML table the pages show (``class="results"``, column headers, numbers aligned
    right), every text escaped.

    >>> print(render_html_table(["id", "n"], [[Cell("a<b", "urn:x:a&b"), Cell("2", numeric=True)]]))
    <table class="results">
    <thead><tr><th scope="col">id</th><th scope="col">n</th></tr></thead>
    <tbody>
    <tr><td><span title="urn:x:a&amp;b">a&lt;b</span></td><td class="num" style="text-align: right">2</td></tr>
    </tbody></table>
    """
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    lines = ['<table class="results">', f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in rows:
        lines.append("<tr>" + "".join(_html_cell(cell) for cell in row) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _html_cell(cell: Cell) -> str:
    text = escape(cell.text)
    if cell.title:
        text = f'<span title="{escape(cell.title)}">{text}</span>'
    return f'<td class="num" style="text-align: right">{text}</td>' if cell.numeric else f"<td>{text}</td>"
