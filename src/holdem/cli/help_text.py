"""How every command's ``--help`` reads: plain text, each example command on its own line.

The commands' descriptions are their modules' docstrings, written for the source with reST
markup (double backticks around code, single ones around names). argparse's default formatter
joins every line of a description into one paragraph, so the example commands ran into the
prose and the backticks showed. `PlainHelpFormatter` drops the markup, keeps each example
(a line starting with ``holdem`` or ``python -m``) on its own line, indented, keeps list items
apart, and wraps the prose to the terminal. `HelpParser` is an ``ArgumentParser`` that uses
it, and hands it to the subcommands' parsers it makes (argparse builds them with the parent's
class).
"""

from __future__ import annotations

import argparse
import re
import textwrap
from typing import Any

_CODE = re.compile(r"``(.+?)``|`([^`]+?)`", re.DOTALL)
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(\w[^*]*?)\*")
_COMMAND = re.compile(r"^(holdem|python -m|make) ")
_ITEM = re.compile(r"^(- |\d+\. )")


def plain_text(text: str) -> str:
    """``text`` without reST markup: ```name``` loses its backticks, ``*word*`` its stars,
    and ````code```` its backticks too, but a short token that could be read as a word (``a``,
    ``r250``, ``-``) is put in single quotes instead; flags and commands stay bare."""
    text = _CODE.sub(lambda m: _code(m.group(1)) if m.group(1) else m.group(2), text)
    return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)


def _code(code: str) -> str:
    """Inline code as plain text (`plain_text`)."""
    if "'" in code or re.match(r"--?[a-zA-Z]|(holdem|pip|python|make) ", code):
        return code
    return f"'{code}'"


def help_blocks(text: str) -> list[tuple[str, str]]:
    """The blocks of a description: ``("command", line)`` for an example command,
    ``("item", text)`` for a list item, ``("prose", text)`` for a paragraph, and
    ``("gap", "")`` between paragraphs; lines of a paragraph or item are joined, and a command
    ending in a backslash keeps its next line, indented, as its continuation."""
    blocks: list[tuple[str, str]] = []
    for line in textwrap.dedent(text).strip("\n").splitlines():
        stripped = line.strip()
        if blocks and blocks[-1][0] == "command" and blocks[-1][1].endswith("\\"):
            blocks[-1] = ("command", f"{blocks[-1][1]}\n    {stripped}")
        elif not stripped:
            if blocks and blocks[-1][0] != "gap":
                blocks.append(("gap", ""))
        elif _COMMAND.match(stripped):
            blocks.append(("command", stripped))
        elif _ITEM.match(stripped):
            blocks.append(("item", stripped))
        elif blocks and blocks[-1][0] in ("prose", "item"):
            kind, before = blocks[-1]
            blocks[-1] = (kind, f"{before} {stripped}")
        else:
            blocks.append(("prose", stripped))
    return blocks


def _fill(text: str, width: int, first: str, later: str) -> str:
    """``text`` wrapped to ``width``, never breaking a flag such as ``--max-nodes`` apart."""
    return textwrap.fill(
        text, width, initial_indent=first, subsequent_indent=later, break_on_hyphens=False
    )


class PlainHelpFormatter(argparse.HelpFormatter):
    """Descriptions as plain text with examples on their own lines (module docstring)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines: list[str] = []
        for kind, block in help_blocks(plain_text(text)):
            if kind == "gap":
                lines.append("")
            elif kind == "command":
                lines.extend(f"{indent}  {line}" for line in block.splitlines())
            elif kind == "item":
                marker = _ITEM.match(block)
                hanging = indent + " " * (len(marker.group(1)) if marker else 0)
                lines.append(_fill(block, width, indent, hanging))
            else:
                lines.append(_fill(block, width, indent, indent))
        return "\n".join(lines)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return super()._split_lines(plain_text(text), width)


class HelpParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help is written by `PlainHelpFormatter`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", PlainHelpFormatter)
        super().__init__(*args, **kwargs)
