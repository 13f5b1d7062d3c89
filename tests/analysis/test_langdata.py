"""The language data: the shipped folders load and are rich; a malformed line names its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ressenti.analysis.langdata import (
    SIGNAL_PATTERN_NAMES,
    available_languages,
    language_code,
    load_common,
    load_informal,
    load_language,
    load_lexicon,
    load_modifiers,
    load_signals,
    parse_pattern,
)
from ressenti.analysis.schemas import MOTIVE_LABELS
from ressenti.analysis.text import Tokenizer, term_keys
from ressenti.errors import LanguageDataError

TOKENIZER = Tokenizer(emoticons=[":(", ":-)", "^^", "xD"])


def write(folder: Path, name: str, *lines: str) -> Path:
    path = folder / name
    path.write_text("# a comment\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---- the shipped data -----------------------------------------------------------------------


def test_french_and_english_are_shipped() -> None:
    assert set(available_languages()) >= {"fr", "en"}
    assert "common" not in available_languages()


@pytest.mark.parametrize("code", ["fr", "en"])
def test_the_shipped_language_loads_and_is_not_trivial(code: str) -> None:
    data = load_language(code, TOKENIZER)
    assert data.code == code
    assert len(data.lexicon) > 1500
    # One table holds the signals and the complaint motives (every motive but "other", which no
    # pattern names: it is what a complaint gets when none matches).
    assert data.signals.signals == SIGNAL_PATTERN_NAMES | (set(MOTIVE_LABELS) - {"other"})
    assert len(SIGNAL_PATTERN_NAMES) == 7
    assert len(data.stopwords) > 100
    kinds = {modifier.kind for modifier in data.modifiers.entries.values()}
    assert kinds == {"negator", "intensifier", "attenuator", "contrast"}
    assert len(data.informal) > 10


@pytest.mark.parametrize(
    ("code", "term", "sign"),
    [
        ("fr", "déçu", -1),
        ("fr", "merci", 1),
        ("fr", "pas terrible", -1),
        ("en", "disappointed", -1),
        ("en", "thanks", 1),
    ],
)
def test_shipped_terms_are_found_by_their_normalised_keys(code: str, term: str, sign: int) -> None:
    data = load_language(code, TOKENIZER)
    entry = data.lexicon.entries[term_keys(TOKENIZER, term)]
    assert entry.valence * sign > 0


def test_shipped_emoji_and_emoticons_load() -> None:
    common = load_common()
    assert common.emoji["😡"].valence < 0
    assert common.emoji["🙏"].valence > 0
    assert common.emoticons[":("].valence < 0
    assert common.emoticons[":-)"].valence > 0
    assert len(common.emoji) > 50


def test_an_unknown_language_is_a_language_data_error() -> None:
    with pytest.raises(LanguageDataError, match="xx"):
        load_language("xx", TOKENIZER)


# ---- malformed lines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("déçu\tbeaucoup\tsadness=0.8", "not a number"),
        ("déçu\t-4.5\tsadness=0.8", "outside -4..4"),
        ("déçu\t5\t-", "outside -4..4"),
        ("déçu\t-1.9\tjoy=0.8", "known emotion"),
        ("déçu\t-1.9\tneutral=0.5", "known emotion"),
        ("déçu\t-1.9\tsadness", "known emotion"),
        ("déçu\t-1.9\tsadness=1.5", "outside 0..1"),
        ("déçu\t-1.9\tsadness=0.8\tencore", "columns"),
        ("déçu", "columns"),
    ],
    ids=[
        "bad-valence",
        "valence-below-range",
        "valence-above-range",
        "unknown-emotion",
        "neutral-listed",
        "weight-missing",
        "weight-out-of-range",
        "too-many-columns",
        "too-few-columns",
    ],
)
def test_a_malformed_lexicon_line_names_the_file_and_the_line(
    tmp_path: Path, bad_line: str, reason: str
) -> None:
    write(tmp_path, "lexicon.tsv", "merci\t1.5\tgratitude=1.0", bad_line, "content\t1.8\tsatisfaction=0.8")
    with pytest.raises(LanguageDataError, match=reason) as caught:
        load_lexicon(tmp_path, TOKENIZER)
    assert "lexicon.tsv:4:" in str(caught.value)  # two header lines, one good line, then the bad one


def test_a_malformed_generated_base_is_caught_too(tmp_path: Path) -> None:
    write(tmp_path, "valence_base.tsv", "good\t1.9", "bad\tx")
    write(tmp_path, "lexicon.tsv", "merci\t1.5\tgratitude=1.0")
    with pytest.raises(LanguageDataError, match=r"valence_base\.tsv:4:"):
        load_lexicon(tmp_path, TOKENIZER)


def test_a_well_formed_lexicon_loads_with_our_terms_over_the_base(tmp_path: Path) -> None:
    write(tmp_path, "valence_base.tsv", "déçu\t-1.0", "super\t2.0")
    write(
        tmp_path,
        "lexicon.tsv",
        "déçu\t-1.9\tsadness=0.8 frustration=0.4",
        "ras le bol\t-2.5\t-",
        "merci\t1.5",
    )
    table = load_lexicon(tmp_path, TOKENIZER)
    assert table.entries[("decu",)].valence == -1.9
    assert dict(table.entries[("decu",)].emotions) == {"sadness": 0.8, "frustration": 0.4}
    assert table.entries[("super",)].valence == 2.0
    assert table.entries[("ras", "le", "bol")].emotions == ()
    assert table.entries[("merci",)].emotions == ()
    assert table.match(["ras", "le", "bol", "!"], 0) == (3, table.entries[("ras", "le", "bol")])


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("très\tintensifier\t0.8", "above 1"),
        ("très\tintensifier\t1", "above 1"),
        ("un peu\tattenuator\t1.2", "below 1"),
        ("très\tintensifier\tbeaucoup", "not a number"),
        ("très\tamplifier\t1.3", "unknown modifier kind"),
        ("pas\tnegator\tfort", "not a number"),
        ("pas", "columns"),
    ],
    ids=[
        "intensifier-below-1",
        "intensifier-at-1",
        "attenuator-above-1",
        "bad-factor",
        "unknown-kind",
        "bad-negator-factor",
        "columns",
    ],
)
def test_a_malformed_modifier_line_names_the_file_and_the_line(
    tmp_path: Path, bad_line: str, reason: str
) -> None:
    write(tmp_path, "modifiers.tsv", "mais\tcontrast\t-", bad_line)
    with pytest.raises(LanguageDataError, match=reason) as caught:
        load_modifiers(tmp_path, TOKENIZER)
    assert "modifiers.tsv:4:" in str(caught.value)


def test_well_formed_modifiers_load(tmp_path: Path) -> None:
    write(
        tmp_path,
        "modifiers.tsv",
        "pas\tnegator\t-",
        "pas du tout\tnegator\t1.3",
        "très\tintensifier\t1.3",
        "un peu\tattenuator\t0.6",
        "mais\tcontrast",
    )
    table = load_modifiers(tmp_path, TOKENIZER)
    assert table.entries[("pas",)].kind == "negator"
    assert table.entries[("pas", "du", "tout")].factor == 1.3
    assert table.entries[("tres",)].factor == 1.3
    assert table.entries[("un", "peu")].kind == "attenuator"
    assert table.entries[("mais",)].kind == "contrast"


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("sadness\tje suis triste", "unknown signal"),
        ("complain\tpas reçu", "unknown signal"),
        ("churn_threat\t!!!", "no word"),
        ("not:churn\tpas moi", "unknown signal 'not:churn'"),
    ],
    ids=["emotion-as-signal", "misspelt-signal", "pattern-without-word", "exception-to-unknown-signal"],
)
def test_a_malformed_signal_line_names_the_file_and_the_line(
    tmp_path: Path, bad_line: str, reason: str
) -> None:
    write(tmp_path, "signals.tsv", "churn_threat\tje vais résilier", bad_line)
    with pytest.raises(LanguageDataError, match=reason) as caught:
        load_signals(tmp_path, TOKENIZER)
    assert "signals.tsv:4:" in str(caught.value)


def test_a_malformed_informal_line_names_the_file_and_the_line(tmp_path: Path) -> None:
    write(tmp_path, "informal.tsv", "chui\tje suis", "jsp\tje sais pas\ten trop")
    with pytest.raises(LanguageDataError, match=r"informal\.tsv:4:"):
        load_informal(tmp_path, TOKENIZER)


def test_informal_forms_map_one_written_word_to_standard_words(tmp_path: Path) -> None:
    write(tmp_path, "informal.tsv", "chui\tje suis", "svp\ts'il vous plaît", "j'suis\tje suis")
    table = load_informal(tmp_path, TOKENIZER)
    assert table == {"chui": ("je", "suis"), "svp": ("s", "il", "vous", "plait")}


def test_the_error_has_the_language_data_code(tmp_path: Path) -> None:
    write(tmp_path, "signals.tsv", "nope\tx")
    with pytest.raises(LanguageDataError) as caught:
        load_signals(tmp_path, TOKENIZER)
    assert str(caught.value).startswith("[E001]")


# ---- signal patterns ------------------------------------------------------------------------


def matches(pattern: str, text: str) -> bool:
    keys = list(term_keys(TOKENIZER, text))
    parsed = parse_pattern(TOKENIZER, "complaint", pattern)
    return any(parsed.match(keys, start) is not None for start in range(len(keys)))


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        ("changer d' opérateur|fournisseur|banque", "je vais changer d'opérateur", True),
        ("changer d' opérateur|fournisseur|banque", "je vais changer de banque", False),
        ("changer d' opérateur|fournisseur|banque", "changer d'fournisseur", True),
        ("avocat*", "j'ai pris une avocate", True),
        ("avocat*", "mes avocats", True),
        ("rembours*", "je veux être REMBOURSÉ", True),
        ("rembours*", "un bourse", False),
        ("pas … reçu", "pas reçu", True),
        ("pas … reçu", "toujours pas encore vraiment bien reçu", True),
        ("pas … reçu", "pas du tout encore jamais reçu", False),
        ("je vais résilier", "Je vais RÉSILIER demain", True),
        ("je vais résilier", "je ne vais pas résilier", False),
        # An alternative that extends another must be tried too, with no gap in the pattern.
        ("des bras|bras-cassés partout", "des bras-cassés partout", True),
        # Hyphens join the words of one alternative; a space starts the next step.
        ("moving to another|a-different", "moving to a different bank", True),
        ("moving to another|a-different", "moving to another bank", True),
        ("moving to another|a-different", "moving to a bank", False),
        ("action collective|de-groupe", "une action de groupe", True),
        # Written with a space, it is the steps "action", "collective|de", "groupe".
        ("action collective|de groupe", "une action collective", False),
    ],
)
def test_compiled_patterns_match_alternatives_prefixes_and_gaps(
    pattern: str, text: str, expected: bool
) -> None:
    assert matches(pattern, text) is expected


def test_a_pattern_word_matches_whole_keys_only() -> None:
    assert not matches("urgent", "urgentissime")
    assert matches("urgent*", "urgentissime")


def test_loaded_signals_match_on_message_keys(tmp_path: Path) -> None:
    write(
        tmp_path,
        "signals.tsv",
        "churn_threat\tje vais résilier",
        "legal_threat\tavocat*",
        "urgency\turgent|vite",
    )
    table = load_signals(tmp_path, TOKENIZER)
    keys = list(term_keys(TOKENIZER, "Je vais résilier, mon avocate est prête"))
    found = {
        pattern.signal
        for start in range(len(keys))
        for pattern in table.candidates(keys, start)
        if pattern.match(keys, start) is not None
    }
    assert found == {"churn_threat", "legal_threat"}


def test_an_exception_drops_the_matches_of_its_signal_it_overlaps_and_no_other(tmp_path: Path) -> None:
    write(
        tmp_path,
        "signals.tsv",
        "churn_threat\tmoving my savings … to",
        "churn_threat\tcancel*",
        "not:churn_threat\tto your … isa",
    )
    table = load_signals(tmp_path, TOKENIZER)
    inside = list(term_keys(TOKENIZER, "I'm moving my savings to your fixed ISA, or I'll cancel"))
    elsewhere = list(term_keys(TOKENIZER, "I'm moving my savings to Chip"))
    assert list(table.find(inside)) == ["churn_threat"]  # the exception itself is never a match
    (only,) = table.find(inside)["churn_threat"]
    assert inside[only[0]] == "cancel"  # the transfer to the company's own ISA is gone, not the cancel
    assert table.find(elsewhere)["churn_threat"]


def test_clause_punctuation_in_a_pattern_matches_where_a_clause_ends() -> None:
    pattern = parse_pattern(TOKENIZER, "churn_threat", "je pars .|!|,")

    def found(keys: list[str]) -> bool:
        return any(pattern.match(keys, start) is not None for start in range(len(keys)))

    assert found(["je", "pars", ".", "votre", "service"])
    assert found(["je", "pars", "!!!"])  # however repeated
    assert not found(["je", "pars", "en", "vacances"])
    assert not found(["je", "pars"])


def test_a_number_in_a_pattern_matches_any_number() -> None:
    assert matches("depuis <num> jours", "depuis 12 jours")
    assert not matches("depuis <num> jours", "depuis longtemps jours")


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-FR", "fr"),
        ("en_GB", "en"),
        (" en ", "en"),
        ("french", ""),
        ("f", ""),
        ("fr-", ""),
    ],
)
def test_a_language_tag_names_its_language_as_every_reader_takes_it(tag: str, code: str) -> None:
    assert language_code(tag) == code
