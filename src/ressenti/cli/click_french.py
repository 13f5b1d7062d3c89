"""Click's own messages in French: usage errors, help headings, file checks, the names of what a command
takes (``METAVARS``).

Click writes them through ``gettext``; ``speak`` points it at ``locale/fr/LC_MESSAGES/click.mo`` when
the user reads French. That file is built from ``FRENCH`` by ``python -m ressenti.cli.click_french``
(a test checks that it is up to date). Keys are Click's own texts (Click 8), placeholders kept.
"""

from __future__ import annotations

import gettext
import os
import re
import struct
from pathlib import Path

DOMAIN = "click"
LOCALE = Path(__file__).resolve().parent / "locale"
CATALOG = LOCALE / "fr" / "LC_MESSAGES" / f"{DOMAIN}.mo"
PLURAL_FORMS = "nplurals=2; plural=(n > 1);"  # French: 0 and 1 are singular

Singular = str
Plural = tuple[str, str]
FRENCH: dict[Singular | Plural, Singular | Plural] = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Afficher ce message et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Aborted!": "Interrompu !",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "Missing command.": "Commande manquante.",
    "No such command {name!r}.": "Pas de commande {name!r}.",
    "No such option {name!r}.": "Pas d'option {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument {name!r} prend {nargs} valeurs.",
    "Invalid start character for option ({option})": "Caractère initial invalide pour une option ({option})",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir le fichier {filename!r} : {message}",
    "unknown error": "erreur inconnue",
    "default: {default}": "par défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "deprecated": "obsolète",
    "required": "obligatoire",
    "Value must be an iterable.": "La valeur doit être une liste.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{name} {filename!r} does not exist.": "{name} {filename!r} n'existe pas.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} n'est pas exécutable.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas accessible en écriture.",
    "{value!r} is not a valid UUID.": "{value!r} n'est pas un UUID valide.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} n'est pas un booléen valide. Valeurs reconnues : {states}"
    ),
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "Do you want to continue?": "Voulez-vous continuer ?",
    "Confirm the action without prompting.": "Confirmer l'action sans la demander.",
    "Repeat for confirmation": "Répétez pour confirmer",
    "Error: The two entered values do not match.": "Erreur : les deux valeurs saisies diffèrent.",
    "Error: invalid input": "Erreur : saisie invalide",
    "Press any key to continue...": "Appuyez sur une touche pour continuer…",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Argument en trop inattendu ({args})",
        "Arguments en trop inattendus ({args})",
    ),
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de : {possibilities} ?)",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "L'option {name!r} demande un argument.",
        "L'option {name!r} demande {nargs} arguments.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas l'une des valeurs {choices}.",
    ),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} ne suit pas le format {format}.",
        "{value!r} ne suit aucun des formats {formats}.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Prend {nargs} valeurs, mais 1 a été donnée.",
        "Prend {nargs} valeurs, mais {len} ont été données.",
    ),
}

# The words in upper case that name what a command takes, in usage lines, option lines and errors
# ("--input FILE", "Missing argument 'FILE'"): Click writes them without gettext (the name of a type, or
# of an argument, in upper case; "COMMAND [ARGS]..."), so they are said again here, word for word.
METAVARS = {
    "COMMAND": "COMMANDE",
    "TEXT": "TEXTE",
    "FILE": "FICHIER",
    "DIRECTORY": "DOSSIER",
    "PATH": "CHEMIN",
    "INTEGER RANGE": "ENTIER",
    "INTEGER": "ENTIER",
    "FLOAT RANGE": "NOMBRE",
    "FLOAT": "NOMBRE",
    "BOOLEAN": "BOOLÉEN",
    "SLUG": "IDENTIFIANT",
}
# How Click's errors about a path begin in French, « {name} {filename!r} n'existe pas. »: the noun with
# its article, which Click's one template for files, folders and paths cannot hold.
PATH_NAMES = {"file": "Le fichier", "directory": "Le dossier", "path": "Le chemin"}
_METAVAR = re.compile(r"\b(?:" + "|".join(sorted(METAVARS, key=len, reverse=True)) + r")\b")


def french_metavar(text: str) -> str:
    """``text`` (a metavar, or a usage line's pieces) with its English words in French: "[TEXT]" is
    "[TEXTE]", "COMMAND [ARGS]..." is "COMMANDE [ARGS]...". Words it does not know are kept (N, URL)."""
    return _METAVAR.sub(lambda found: METAVARS[found.group()], text)


def catalog() -> bytes:
    """``FRENCH`` as a GNU gettext catalog (.mo): a header, then the texts in the order of their keys,
    which is what readers of the format expect (no hash table)."""
    entries = {"": f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {PLURAL_FORMS}\n"}
    for key, value in FRENCH.items():
        entries["\0".join(key) if isinstance(key, tuple) else key] = (
            "\0".join(value) if isinstance(value, tuple) else value
        )
    keys = sorted(entries, key=lambda key: key.encode("utf-8"))
    originals = [key.encode("utf-8") for key in keys]
    translations = [entries[key].encode("utf-8") for key in keys]
    count = len(keys)
    header_size = 7 * 4
    start = header_size + 2 * count * 8  # after the header and the two tables of (length, offset)
    tables, blob = [], b""
    for texts in (originals, translations):
        table = []
        for text in texts:
            table.append((len(text), start + len(blob)))
            blob += text + b"\0"
        tables.append(table)
    header = struct.pack("<7I", 0x950412DE, 0, count, header_size, header_size + count * 8, 0, start)
    packed = b"".join(struct.pack("<2I", *pair) for table in tables for pair in table)
    return header + packed + blob


def speak(lang: str) -> None:
    """Click's messages in ``lang`` from here on (French from the catalog; English is Click's own)."""
    if lang != "fr":
        return
    os.environ["LANGUAGE"] = "fr"  # which catalog gettext picks, whatever the system locale says
    gettext.bindtextdomain(DOMAIN, str(LOCALE))
    gettext.textdomain(DOMAIN)


if __name__ == "__main__":
    CATALOG.write_bytes(catalog())
    print(f"{CATALOG}: {len(FRENCH)} texts")
