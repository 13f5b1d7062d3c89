"""The errors Ressenti raises, one tree, each with a stable code that messages carry.

RessentiError                  base of everything below; ``code`` is stable, ``str()`` is for people
├── LanguageDataError   E001   a language data file is malformed (file and line number given)
├── ModelError          E002   the shipped model is missing, unreadable or of another format version
├── InputError          E010   a record or file given by the user cannot be read
│   ├── RecordError     E011   one record is bad (line number given); the run goes on without it
│   └── FormatError     E012   the file's format is unknown or unsupported
├── EvaluationError     E020   an evaluation cannot run on the data given
├── ServiceError        E030   a request to the service cannot be carried out (the web layer maps each
│   │                          to its HTTP status; ``said(lang)`` is what the caller reads, in French
│   │                          or English)
│   ├── AuthError       E031   not authenticated: no, wrong or expired credentials (401)
│   ├── ForbiddenError  E032   authenticated but not allowed (403)
│   ├── NotFoundError   E033   no such object in the caller's organisation, or not visible to them (404)
│   ├── ConflictError   E034   the object's state forbids it: closed conversation, duplicate name (409)
│   └── InvalidError    E035   a value is well-formed but wrong: unknown team, role, field (422)
└── OutputError         E040   an output cannot be written where asked (a full disk, a folder that holds
                               files not written by Ressenti); what was there is left as it was
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


class ClusterError(RessentiError):
    """The Dask cluster a batch runs on failed (a worker died, the scheduler went away); what was
    written stays, and ``--resume`` goes on from it."""

    code = "E025"


class OutputError(RessentiError):
    """An output cannot be written where the user asked; what was there is left as it was."""

    code = "E040"


class ServiceError(RessentiError):
    """A request to the service cannot be carried out; ``status`` is its HTTP status."""

    code = "E030"
    status = 400

    def __init__(self, reasons: tuple[str, str]) -> None:
        """``reasons``: why, in French and in English (``i18n.both``); ``reason`` is the English one."""
        super().__init__(reasons[1])
        self.reasons = reasons
        self.reason = reasons[1]

    def said(self, lang: str) -> str:
        """Why, in ``lang`` (``fr``; English otherwise)."""
        return self.reasons[0] if lang == "fr" else self.reasons[1]


class AuthError(ServiceError):
    code = "E031"
    status = 401


class ForbiddenError(ServiceError):
    code = "E032"
    status = 403


class NotFoundError(ServiceError):
    code = "E033"
    status = 404


class ConflictError(ServiceError):
    code = "E034"
    status = 409


class InvalidError(ServiceError):
    code = "E035"
    status = 422
