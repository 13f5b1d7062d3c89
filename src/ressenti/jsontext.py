"""JSON as its standard (RFC 8259) has it.

Python's ``json`` reads ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON: a record holding
one would be passed on, and written back into files that no other JSON reader can read. ``loads``
refuses them, as a line that is not JSON is refused.
"""

from __future__ import annotations

import json
from typing import Any


class NotJsonError(ValueError):
    """A value JSON does not have (``NaN``, ``Infinity``, ``-Infinity``)."""

    def __init__(self, constant: str) -> None:
        super().__init__(f"{constant} is not a JSON value")
        self.constant = constant


def _refuse(constant: str) -> Any:
    raise NotJsonError(constant)


def loads(text: str | bytes) -> Any:
    """The value of a JSON text; ``NotJsonError`` for ``NaN`` or an infinity, ``json.JSONDecodeError``
    for text that is not JSON."""
    return json.loads(text, parse_constant=_refuse)
