"""Privacy (pure): personal data is redacted from a message before anything is stored."""

from ressenti.privacy.redact import KINDS, PLACEHOLDERS, Redacted, Redaction, redact

__all__ = ["KINDS", "PLACEHOLDERS", "Redacted", "Redaction", "redact"]
