"""The errors Ressenti raises, one tree, each with a stable code that messages carry.

RessentiError                  base of everything below; ``code`` is stable, ``str()`` is for people
├── LanguageDataError   E001   a language data file is malformed (file and line number given)
├── ModelError          E002   the shipped model is missing, unreadable or of another format version
├── InputError          E010   a record or file given by the user cannot be read
│   ├── RecordError     E011   one record is bad (line number given); the run goes on without it
│   └── FormatError     E012   the file's format is unknown or unsupported
└── EvaluationError     E020   an evaluation cannot run on the data given
"""

from __future__ import annotations


class RessentiError(Exception):
    """Base of all Ressenti errors."""

    code = "E000"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class LanguageDataError(RessentiError):
    """A language data file is malformed."""

    code = "E001"


class ModelError(RessentiError):
    """The shipped model cannot be loaded."""

    code = "E002"


class InputError(RessentiError):
    """Input given by the user cannot be read."""

    code = "E010"


class RecordError(InputError):
    """One record of an input file is bad; it is skipped and reported."""

    code = "E011"

    def __init__(self, message: str, *, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


class FormatError(InputError):
    """The input file's format is unknown or unsupported."""

    code = "E012"


class EvaluationError(RessentiError):
    """An evaluation cannot run on the data given."""

    code = "E020"
