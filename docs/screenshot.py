"""Render docs/screenshot.svg: a real reading as `ressenti analyze` shows it (python docs/screenshot.py)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from ressenti import analyze
from ressenti.cli.render import render

TEXT = (
    "Bonjour, toujours pas reçu ma commande !!! 😡 "
    "Si rien ne bouge je résilie et je passe chez la concurrence."
)

console = Console(record=True, width=110, force_terminal=True, color_system="truecolor")
console.print('$ ressenti analyze "' + TEXT + '"', style="dim")
render(analyze(TEXT), console, lang="fr")
console.save_svg(str(Path(__file__).with_name("screenshot.svg")), title="ressenti analyze")
