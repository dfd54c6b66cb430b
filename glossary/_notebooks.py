"""Notebook cells and files as nbformat 4 JSON, written by hand: the lesson notebook and the two
exercise notebooks are generated from the glossary, and their committed files are compared with
what this writes, so the text must come out the same every time."""

from __future__ import annotations

import json
from typing import Any


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def markdown_cell(cell_id: str, text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": _lines(text)}


def code_cell(cell_id: str, text: str) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {}, "outputs": [],
            "source": _lines(text.rstrip("\n"))}


def notebook_json(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """A Python 3 notebook holding ``cells``."""
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_file_text(notebook: dict[str, Any]) -> str:
    """A notebook file's exact text."""
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
