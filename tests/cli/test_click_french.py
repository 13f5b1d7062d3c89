"""Click's own messages (usage errors, help headings) in French for French readers."""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path

import click

from ressenti.cli.click_french import CATALOG, FRENCH, catalog
from tests.cli.test_main import err, run

PLACEHOLDER = re.compile(r"\{[^}]*\}|%\(\w+\)s")


def click_texts() -> set[str | tuple[str, ...]]:
    """The texts Click passes through gettext (``_`` and ``ngettext``), read from its source, and the
    words it puts in an option's ``extra`` to translate when the help is shown (``"required"``)."""
    texts: set[str | tuple[str, ...]] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Subscript)
                and isinstance(node.targets[0].value, ast.Name)
                and node.targets[0].value.id == "extra"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                texts.add(node.value.value)
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")
            ):
                words = tuple(arg.value for arg in node.args if isinstance(arg, ast.Constant))
                if words and all(isinstance(word, str) for word in words):
                    texts.add(words[0] if node.func.id == "_" else words[:2])
    return texts


def test_the_shipped_catalog_is_built_from_the_translations() -> None:
    assert CATALOG.read_bytes() == catalog(), "run `python -m ressenti.cli.click_french`"


def test_every_translated_text_is_one_click_still_writes() -> None:
    # A Click upgrade that rewords a message would leave its translation unused: this says which.
    assert set(FRENCH) - click_texts() == set()


def test_the_catalog_reads_back_as_gettext_reads_it_with_french_plurals() -> None:
    french = gettext.GNUTranslations(io.BytesIO(catalog()))
    assert french.gettext("Usage:") == "Utilisation :"
    one, many = "Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"
    assert french.ngettext(one, many, 1) == "Argument en trop inattendu ({args})"
    assert french.ngettext(one, many, 2) == "Arguments en trop inattendus ({args})"
    for key, value in FRENCH.items():  # placeholders are kept, or Click's format() would fail
        for original, translated in zip(
            key if isinstance(key, tuple) else (key,),
            value if isinstance(value, tuple) else (value,),
            strict=True,
        ):
            assert sorted(PLACEHOLDER.findall(original)) == sorted(PLACEHOLDER.findall(translated))


def test_usage_errors_are_french_for_french_readers_and_english_for_english_ones(tmp_path: Path) -> None:
    french = run("analyze", "--input", str(tmp_path), lang="fr")
    assert french.returncode == 2
    assert "Utilisation : ressenti analyze" in err(french)
    said = f"Erreur : Valeur invalide pour '--input' : Le fichier {str(tmp_path)!r} est un dossier."
    assert said in err(french)
    english = run("analyze", "--input", str(tmp_path), lang="en")
    assert "Error: Invalid value for '--input': File" in err(english)
    assert "is a directory." in err(english)
    unknown = run("batch", "--bogus", lang="fr")
    assert "Erreur : Pas d'option '--bogus'." in err(unknown)


def test_help_says_an_option_required_in_the_readers_language() -> None:
    assert "[obligatoire]" in run("report", "--help", lang="fr").stdout.decode("utf-8")
    assert "[required]" in run("report", "--help", lang="en").stdout.decode("utf-8")


def test_a_missing_argument_is_named_as_the_help_names_it() -> None:
    assert "Erreur : Argument manquant 'FICHIER'." in err(run("conversation", lang="fr"))
    assert "Error: Missing argument 'FILE'." in err(run("conversation", lang="en"))
    assert "Argument manquant 'IDENTIFIANT'." in err(run("org", "create", lang="fr"))


def test_a_path_refused_is_named_with_its_article_in_french(tmp_path: Path) -> None:
    absent = run("conversation", "nope.jsonl", lang="fr", cwd=tmp_path)
    assert "Le fichier 'nope.jsonl' n'existe pas." in err(absent)
    assert "File 'nope.jsonl' does not exist." in err(
        run("conversation", "nope.jsonl", lang="en", cwd=tmp_path)
    )
    (tmp_path / "r_file").write_text("", encoding="utf-8")
    a_file = run("report", "--input", "r_file", "--output", "r_file", lang="fr", cwd=tmp_path)
    assert "Le dossier 'r_file' est un fichier." in err(a_file)
    a_file = run("report", "--input", "r_file", "--output", "r_file", lang="en", cwd=tmp_path)
    assert "Directory 'r_file' is a file." in err(a_file)
    assert "Le chemin 'nope' n'existe pas." in err(
        run("evaluate", "--data", "nope", "--task", "arc", lang="fr", cwd=tmp_path)
    )


def test_help_headings_take_the_space_french_puts_before_a_colon() -> None:
    french = run("--help", lang="fr").stdout.decode("utf-8")
    assert "\nOptions :\n" in french
    assert "\nCommandes :\n" in french
    assert "Options:" not in french
    assert "Commandes:" not in french
    english = run("--help", lang="en").stdout.decode("utf-8")
    assert "\nOptions:\n" in english
    assert "\nCommands:\n" in english
    assert "\nOptions :\n" in run("db", "upgrade", "--help", lang="fr").stdout.decode("utf-8")
