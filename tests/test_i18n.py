"""What people read: the user's language from the environment, and every message in both languages."""

from __future__ import annotations

import errno
import json
import os
import re
import string
import typing
from pathlib import Path

import pytest

from ressenti import i18n
from ressenti.analysis.langdata import SIGNAL_PATTERN_NAMES
from ressenti.analysis.schemas import EMOTION_LABELS, MOTIVE_LABELS, SENTIMENT_LABELS, SIGNAL_NAMES, CueKind
from ressenti.i18n import message, user_language

ROOT = Path(__file__).resolve().parents[1]

LOCALE_VARIABLES = ("RESSENTI_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for variable in LOCALE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def counts(template: str) -> set[str]:
    """The placeholders some word agrees with (``{count:singular|plural}``)."""
    return {name for _, name, spec, _ in string.Formatter().parse(template) if name and spec and "|" in spec}


def sample_values(key: str) -> dict[str, object]:
    """A value for each placeholder of a message: a recognisable text, or a count for those some word
    agrees with in either language."""
    counted = set().union(*(counts(template) for template in i18n.MESSAGES[key]))
    return {name: 7 if name in counted else f"<{name}>" for name in placeholders(i18n.MESSAGES[key][1])}


# --- user_language -------------------------------------------------------------------------------


def test_user_language_defaults_to_french_when_nothing_is_set(clean_env: pytest.MonkeyPatch) -> None:
    assert user_language() == "fr"


@pytest.mark.parametrize(("value", "expected"), [("en", "en"), ("fr", "fr"), ("EN", "en"), ("en_US", "en")])
def test_user_language_honours_ressenti_lang(
    clean_env: pytest.MonkeyPatch, value: str, expected: str
) -> None:
    clean_env.setenv("RESSENTI_LANG", value)
    assert user_language() == expected


def test_ressenti_lang_wins_over_the_locale(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LANG", "fr_FR.UTF-8")
    clean_env.setenv("LC_ALL", "fr_FR.UTF-8")
    clean_env.setenv("RESSENTI_LANG", "en")
    assert user_language() == "en"


def test_unsupported_ressenti_lang_falls_back_to_the_locale(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("RESSENTI_LANG", "de")
    clean_env.setenv("LANG", "en_US.UTF-8")
    assert user_language() == "en"


@pytest.mark.parametrize(
    ("locale", "used"), [(None, ("French", "français")), ("en_US.UTF-8", ("English", "anglais"))]
)
def test_an_unsupported_ressenti_lang_is_said_in_both_languages_with_the_language_used_instead(
    clean_env: pytest.MonkeyPatch, locale: str | None, used: tuple[str, str]
) -> None:
    """RESSENTI_LANG=de used to fall back to French (or the locale) without a word."""
    clean_env.setenv("RESSENTI_LANG", "de")
    if locale:
        clean_env.setenv("LANG", locale)
    assert i18n.language_warning() == (
        f"RESSENTI_LANG='de': language not supported (fr, en), messages are in {used[0]} / "
        f"RESSENTI_LANG='de' : langue non prise en charge (fr, en), les messages sont en {used[1]}"
    )


@pytest.mark.parametrize("value", [None, "", "fr", "en", "FR", "en_GB.UTF-8", "french"])
def test_a_supported_or_absent_ressenti_lang_says_nothing(
    clean_env: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        clean_env.setenv("RESSENTI_LANG", value)
    assert i18n.language_warning() is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr_FR.UTF-8", "fr"), ("fr_CA.UTF-8", "fr"), ("en_US.UTF-8", "en"), ("de_DE.UTF-8", "en")],
)
def test_user_language_follows_lang(clean_env: pytest.MonkeyPatch, lang: str, expected: str) -> None:
    clean_env.setenv("LANG", lang)
    assert user_language() == expected


@pytest.mark.parametrize("lang", ["C", "POSIX", "C.UTF-8"])
def test_c_locale_says_nothing_and_french_stays_the_default(clean_env: pytest.MonkeyPatch, lang: str) -> None:
    clean_env.setenv("LANG", lang)
    assert user_language() == "fr"


def test_lc_all_wins_over_lang(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LANG", "fr_FR.UTF-8")
    clean_env.setenv("LC_ALL", "en_GB.UTF-8")
    assert user_language() == "en"


def test_lc_messages_wins_over_lang(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LANG", "en_US.UTF-8")
    clean_env.setenv("LC_MESSAGES", "fr_FR.UTF-8")
    assert user_language() == "fr"


# --- messages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key: str) -> None:
    pair = i18n.MESSAGES[key]
    assert len(pair) == 2
    french, english = pair
    assert french.strip()
    assert english.strip()
    assert placeholders(french) == placeholders(english)
    assert counts(french) <= placeholders(french)


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_every_counted_word_has_one_singular_and_one_plural_form(key: str) -> None:
    for template in i18n.MESSAGES[key]:
        for _, name, spec, _ in string.Formatter().parse(template):
            if spec and "|" in spec:
                assert spec.count("|") == 1, f"{key}: {name}:{spec}"
                assert all(form.strip() for form in spec.split("|")), f"{key}: {name}:{spec}"


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_every_message_formats_with_its_placeholders_in_both_languages(key: str) -> None:
    values = sample_values(key)
    for index, lang in enumerate(("fr", "en")):
        text = message(key, lang, **values)
        assert "{" not in text
        assert "}" not in text
        assert "|" not in text
        for value in values.values():
            assert str(value) in text
        if not counts(i18n.MESSAGES[key][index]):
            assert text == i18n.MESSAGES[key][index].format(**values)


def test_message_follows_the_user_language(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("RESSENTI_LANG", "fr")
    assert message("skipped", line=2, reason="x") == "ligne 2 ignorée : x"
    clean_env.setenv("RESSENTI_LANG", "en")
    assert message("skipped", line=2, reason="x") == "line 2 skipped: x"


def test_explicit_language_wins_over_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("RESSENTI_LANG", "en")
    assert message("skipped", "fr", line=4, reason="y") == "ligne 4 ignorée : y"


def test_a_value_named_lang_fills_the_message_rather_than_choosing_the_language(
    clean_env: pytest.MonkeyPatch,
) -> None:
    clean_env.setenv("RESSENTI_LANG", "en")
    assert message("bad_lang", lang="de") == "language 'de' is not supported (fr, en)"
    assert message("bad_lang", "fr", lang="de") == "langue 'de' non prise en charge (fr, en)"


@pytest.mark.parametrize(
    ("count", "french", "english"),
    [
        (0, "0 enregistrement lu, 0 écrit, 0 ignoré", "0 records read, 0 written, 0 skipped"),
        (1, "1 enregistrement lu, 1 écrit, 1 ignoré", "1 record read, 1 written, 1 skipped"),
        (2, "2 enregistrements lus, 2 écrits, 2 ignorés", "2 records read, 2 written, 2 skipped"),
    ],
)
def test_a_counted_word_agrees_with_its_count_french_singular_for_0_and_1(
    count: int, french: str, english: str
) -> None:
    """It used to say "1 enregistrements lus": each count now chooses its words' form."""
    values = {"read": count, "written": count, "skipped": count}
    assert message("summary", "fr", **values) == french
    assert message("summary", "en", **values) == english


def test_each_count_of_a_message_chooses_for_its_own_words() -> None:
    said = message("batch_summary", "fr", written=1, skipped=2, done=0)
    assert said == "1 conversation écrite, 2 ignorées, 0 déjà faite (reprise)"
    said = message("report_input_summary", "en", aggregated=3, skipped=1, duplicates=1)
    assert said == "3 conversations aggregated, 1 report skipped (1 of them a duplicate)"
    assert message("csv_columns", "fr", found=1, expected=3) == "1 colonne au lieu de 3"
    assert message("csv_columns", "en", found=1, expected=3) == "1 column instead of 3"
    said = message("report_summary", "fr", conversations=1, agent_turns=2, teams=1, agents=1)
    assert said == "1 conversation, 2 tours de conseiller, 1 équipe, 1 conseiller"


def test_a_counted_word_needs_a_whole_number() -> None:
    with pytest.raises(TypeError):
        message("csv_columns", "en", found="one", expected=3)


def test_missing_placeholder_value_is_an_error() -> None:
    with pytest.raises(KeyError):
        message("skipped", "en", line=1)


@pytest.mark.parametrize(
    ("table", "labels"),
    [
        (i18n.EMOTION_NAMES, EMOTION_LABELS),
        (i18n.SENTIMENT_NAMES, SENTIMENT_LABELS),
        (i18n.SIGNAL_NAMES, SIGNAL_NAMES),
        (i18n.CUE_KINDS, typing.get_args(CueKind)),
    ],
    ids=["emotions", "sentiments", "signals", "cue-kinds"],
)
def test_every_label_of_the_engine_has_a_name_in_both_languages(
    table: dict[str, tuple[str, str]], labels: tuple[str, ...]
) -> None:
    assert set(table) == set(labels)
    for french, english in table.values():
        assert french.strip()
        assert english.strip()


def test_every_os_reason_is_said_in_both_languages() -> None:
    for french, english in i18n.OS_REASONS.values():
        assert french.strip()
        assert english.strip()


@pytest.mark.parametrize(
    ("code", "french", "english"),
    [
        (errno.ENOENT, "fichier ou dossier introuvable", "no such file or directory"),
        (errno.ENOSPC, "plus de place sur le disque", "no space left on device"),
        (errno.ENOTDIR, "un élément du chemin n'est pas un dossier", "a part of the path is not a folder"),
        (errno.EACCES, "permission refusée", "permission denied"),
        (errno.EROFS, "système de fichiers en lecture seule", "read-only file system"),
        (errno.EISDIR, "c'est un dossier", "it is a folder"),
        (errno.EDQUOT, "quota de disque dépassé", "disk quota exceeded"),
    ],
)
def test_an_os_error_is_said_by_its_errno_in_the_users_language(code: int, french: str, english: str) -> None:
    """The system's English ("No such file or directory") used to follow a French sentence."""
    error = OSError(code, os.strerror(code), "x.jsonl")
    assert i18n.os_reason(error, "fr") == french
    assert i18n.os_reason(error, "en") == english


def test_an_output_that_cannot_be_made_says_whether_its_folder_is_missing_or_makes_nothing_new(
    tmp_path: Path,
) -> None:
    """ "No such file or directory" was said of an output (it is not meant to be there yet): under /proc,
    which is there, and in a folder that is missing, which was not named."""
    made = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / ".x.partial"))
    assert i18n.output_reason(made, "en") == f"{tmp_path} accepts no new file or folder"
    assert i18n.output_reason(made, "fr") == f"{tmp_path} n'accepte ni nouveau fichier ni nouveau dossier"
    missing = OSError(errno.ENOENT, "No such file or directory", str(tmp_path / "a" / "b" / "x.jsonl"))
    assert i18n.output_reason(missing, "en") == f"folder {tmp_path / 'a'} does not exist"
    assert i18n.output_reason(missing, "fr") == f"le dossier {tmp_path / 'a'} n'existe pas"
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.jsonl"))
    assert i18n.output_reason(full, "fr") == "plus de place sur le disque"


def test_an_os_error_without_a_translation_is_said_in_the_systems_words() -> None:
    assert i18n.os_reason(OSError(errno.EIO, "Input/output error"), "fr") == "Input/output error"
    assert i18n.os_reason(OSError("no errno at all"), "fr") == "no errno at all"


def test_label_names_in_each_language() -> None:
    assert i18n.emotion_name("frustration", "fr") == "agacement"
    assert i18n.emotion_name("frustration", "en") == "frustration"
    assert i18n.sentiment_name("negative", "fr") == "négatif"
    assert i18n.signal_name("churn_threat", "en") == "churn threat"
    assert i18n.cue_kind_name("negation", "fr") == "négation"


def every_cue_note() -> list[str]:
    """What the rules may write in a cue's note: a signal or an irony marker of the signal tables, a
    complaint motive, or the irony they read."""
    return sorted({*SIGNAL_PATTERN_NAMES, *MOTIVE_LABELS, "irony"})


@pytest.mark.parametrize("note", every_cue_note())
def test_every_note_a_cue_can_carry_is_named_for_a_french_reader(note: str) -> None:
    """An irony marker was shown as « emoji (sarcasm) » in the French terminal and « lève : sarcasm »
    on the French console: notes were looked up among signals, then motives, and printed raw."""
    assert i18n.cue_note_name(note, "fr") != note
    assert i18n.cue_note_name(note, "en")
    pages = (ROOT / "src" / "ressenti" / "web" / "static" / "i18n.js").read_text("utf-8")
    assert re.search(rf"^\s*{note}: \[\"", pages, re.MULTILINE), f"{note} has no name in the pages"


def test_an_unreadable_json_line_gives_the_column_not_the_parsers_own_line_number() -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads('{"id": "x", broken')
    english, french = i18n.unreadable_line(caught.value, "en"), i18n.unreadable_line(caught.value, "fr")
    assert english == "invalid JSON: Expecting property name enclosed in double quotes (col 13)"
    assert french == "JSON invalide : nom de propriété entre guillemets doubles attendu (col 13)"
    assert "line 1" not in english  # the parser's "line 1" would read as the file's first line


@pytest.mark.parametrize(
    ("line", "french", "english"),
    [
        ("", "valeur attendue (col 1)", "Expecting value (col 1)"),
        ('{"a": 1} x', "texte en trop après la valeur JSON (col 10)", "Extra data (col 10)"),
        (
            '{"a": "x\ty"}',
            "caractère de contrôle non échappé dans une chaîne (col 9)",
            "Invalid control character at (col 9)",
        ),
        ("{a}", "nom de propriété entre guillemets doubles attendu (col 2)", None),
        (
            '{"a": "abc',
            "chaîne ouverte (col 7) et jamais refermée",
            "Unterminated string starting at (col 7)",
        ),
        ('{"a" 1}', "deux-points attendu (col 6)", "Expecting ':' delimiter (col 6)"),
        ('{"a": 1 "b": 2}', "virgule attendue (col 9)", "Expecting ',' delimiter (col 9)"),
        ('{"a": "\\q"}', "séquence d'échappement invalide (col 8)", "Invalid \\escape (col 8)"),
        ('{"a": "\\u12"}', "séquence \\uXXXX invalide (col 9)", "Invalid \\uXXXX escape (col 9)"),
    ],
)
def test_the_json_parsers_usual_reasons_are_said_in_french_with_their_column(
    line: str, french: str, english: str | None
) -> None:
    """They used to stay in Python's English under French ("JSON invalide : Expecting value")."""
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads(line)
    assert i18n.unreadable_line(caught.value, "fr") == f"JSON invalide : {french}"
    if english is not None:
        assert i18n.unreadable_line(caught.value, "en") == f"invalid JSON: {english}"


def test_the_pure_python_parsers_reasons_are_said_in_french_too() -> None:
    escape = json.JSONDecodeError("Invalid \\escape: 'q'", '{"a": "\\q"}', 8)
    assert i18n.json_reason(escape, "fr") == "séquence d'échappement invalide : 'q' (col 9)"
    control = json.JSONDecodeError("Invalid control character '\\n' at", '{"a": "\n"}', 7)
    assert (
        i18n.json_reason(control, "fr") == "caractère de contrôle '\\n' non échappé dans une chaîne (col 8)"
    )


def test_the_column_of_a_line_read_with_its_line_ending_is_on_that_line() -> None:
    """The parser counts a new line after the line ending: "col 1" used to be said of '{"text": ⏎'."""
    with pytest.raises(json.JSONDecodeError) as caught:
        json.loads('{"text": \n')
    assert i18n.json_reason(caught.value, "en") == "Expecting value (col 10)"


def test_a_json_reason_without_a_french_form_stays_as_python_says_it() -> None:
    error = json.JSONDecodeError("Something new went wrong", "[1]", 2)
    assert i18n.json_reason(error, "fr") == "Something new went wrong (col 3)"
    assert i18n.json_reason(error, "en") == "Something new went wrong (col 3)"


def test_an_unreadable_json_line_names_the_byte_that_is_not_utf8() -> None:
    with pytest.raises(UnicodeDecodeError) as caught:
        b'{"text": "caf\xe9"}'.decode("utf-8")
    assert i18n.unreadable_line(caught.value, "en") == "invalid text (UTF-8 expected) at byte 13"
    assert i18n.unreadable_line(caught.value, "fr") == "texte invalide (UTF-8 attendu) à l'octet 13"


@pytest.mark.parametrize(
    ("number", "english", "french"),
    [
        (errno.ENOSPC, "no space left on device", "plus de place sur le disque"),
        (errno.EACCES, "permission denied", "permission refusée"),
        (errno.ENOTDIR, "a part of the path is not a folder", "un élément du chemin n'est pas un dossier"),
    ],
)
def test_the_usual_reasons_the_system_refuses_a_file_are_said_in_each_language(
    number: int, english: str, french: str
) -> None:
    """``strerror`` is the system's English ("No space left on device") whatever the user's language."""
    error = OSError(number, os.strerror(number), "out/report")
    assert i18n.os_reason(error, "en") == english
    assert i18n.os_reason(error, "fr") == french


def test_another_reason_is_the_systems_own_words() -> None:
    error = OSError(errno.EIO, os.strerror(errno.EIO))
    assert i18n.os_reason(error, "fr") == os.strerror(errno.EIO)


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("de-DE, fr;q=0.5, en;q=0.4", "fr"),  # the first of ours it prefers
        ("en;q=0.3, fr;q=0.7", "fr"),  # weight before order
        ("fr;q=0, en", "en"),  # q=0 means "not this one"
        ("fra, english", None),  # not language tags of ours
        ("fr;q=oops", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_accepted_language_reads_an_accept_language_header(header: str | None, chosen: str | None) -> None:
    assert i18n.accepted_language(header) == chosen


def test_both_gives_a_message_in_french_and_in_english() -> None:
    assert i18n.both("api_conversation_closed", id=7) == (
        "la conversation 7 est close",
        "conversation 7 is closed",
    )


@pytest.mark.parametrize(
    ("kind", "said", "values", "french"),
    [
        ("missing", "Field required", None, "champ obligatoire"),
        (
            "string_too_long",
            "String should have at most 3 characters",
            {"max_length": 3},
            "au plus 3 caractères",
        ),
        (
            "literal_error",
            "Input should be 'x' or 'y'",
            {"expected": "'x' or 'y'"},
            "valeur attendue : 'x' ou 'y'",
        ),
        (
            "greater_than_equal",
            "Input should be greater than or equal to 1",
            {"ge": 1},
            "doit être supérieur ou égal à 1",
        ),
        (
            "string_too_long",
            "String should have at most 3 characters",
            None,
            "String should have at most 3 characters",
        ),
        ("url_parsing", "Input should be a valid URL", None, "Input should be a valid URL"),
    ],
)
def test_validation_reasons_are_french_when_usual_and_the_validators_words_otherwise(
    kind: str, said: str, values: dict[str, object] | None, french: str
) -> None:
    assert i18n.validation_reason(kind, said, values, "fr") == french
    assert i18n.validation_reason(kind, said, values, "en") == said


def test_every_service_error_message_has_the_same_values_in_both_languages() -> None:
    for key, (fr, en) in i18n.MESSAGES.items():
        if key.startswith("api_"):
            names = [{name for _, name, _, _ in string.Formatter().parse(text) if name} for text in (fr, en)]
            assert names[0] == names[1], key


@pytest.mark.parametrize(
    ("content", "french"),
    [(b"PAR1" + b"x" * 100, "fichier tronqué, ou pas au format Parquet"), (b"PAR", "fichier tronqué")],
    ids=["not-parquet", "cut-short"],
)
def test_a_damaged_parquet_file_is_said_in_french(tmp_path: Path, content: bytes, french: str) -> None:
    """pyarrow's "Parquet magic bytes not found in footer. Either the file is corrupted…" followed a
    French sentence."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "cut.parquet"
    path.write_bytes(content)
    with pytest.raises(pa.ArrowException) as caught:
        pq.ParquetFile(path)
    assert i18n.parquet_reason(caught.value, "fr") == french
    assert i18n.parquet_reason(RuntimeError("something new"), "fr") == "something new"


def test_both_gives_each_language_its_own_words_for_a_value_said_otherwise() -> None:
    fr, en = i18n.both("api_role_needed", roles=i18n.roles_said("admin", "trainer"), role="x")
    assert fr == "il faut le rôle administrateur / formateur ; vous êtes x"
    assert en == "this needs the role administrator/trainer; you are x"


def test_a_size_is_said_in_the_unit_a_person_reads() -> None:
    """« enregistrement de plus de 67108864 octets » is now « … de plus de 64 Mio »."""
    assert i18n.size(64 * 2**20, "fr") == "64 Mio"
    assert i18n.size(2**20, "en") == "1 MiB"
    assert i18n.size(100, "fr") == "100 octets"
    assert i18n.size(1500, "en") == "1500 bytes"
