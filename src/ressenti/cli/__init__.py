"""The ``ressenti`` command line."""

from __future__ import annotations

from ressenti.cli.click_french import speak
from ressenti.i18n import user_language


def main() -> None:
    """Entry point of the ``ressenti`` command. Click is told the user's language before any command is
    declared: it names some of its types (file, directory) then, in the language it speaks."""
    speak(user_language())
    from ressenti.cli.main import main as run  # declares the commands

    run()
