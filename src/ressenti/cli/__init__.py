"""The ``ressenti`` command line."""

from __future__ import annotations

import sys

from ressenti.cli.click_french import speak
from ressenti.i18n import language_warning, user_language


def main() -> None:
    """Entry point of the ``ressenti`` command. Click is told the user's language before any command is
    declared: it writes some of its texts then (the help of --version), in the language it speaks. A
    ``RESSENTI_LANG`` that names a language Ressenti does not speak is said once, on stderr."""
    warning = language_warning()
    if warning:
        print(warning, file=sys.stderr)
    speak(user_language())
    from ressenti.cli.main import main as run  # declares the commands

    run()
