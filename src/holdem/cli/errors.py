"""How every command prints a user's mistake: one line, never a traceback."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape


def print_error(console: Console, error: Exception) -> None:
    """``error: <message>`` on one line (the message is shown as written, never as markup)."""
    console.print(f"[red]error:[/red] {escape(str(error))}", soft_wrap=True, highlight=False)
