"""The tokenizer keeps spans faithful to the text and normalises words the same way as the data."""

from __future__ import annotations

import pytest

from ressenti.analysis.text import Tokenizer, elongation_variants, emoji_base, normalize_key, term_keys

TOKENIZER = Tokenizer(emoticons=[":(", ":-)", "^^", "xD", "<3", ":/"])


def kinds_and_keys(text: str) -> list[tuple[str, str]]:
    return [(token.kind, token.key) for token in TOKENIZER.tokenize(text)]


def test_spans_point_at_the_original_text() -> None:
    text = "J'suis DÉÇU… 😡👍🏽 https://x.fr @sav #fail"
    for token in TOKENIZER.tokenize(text):
        assert text[token.start : token.end] == token.text


@pytest.mark.parametrize(
    ("written", "key"),
    [("Déçu", "decu"), ("DÉÇU", "decu"), ("decu", "decu"), ("Reçu", "recu"), ("aujourd’hui", "aujourd'hui")],
)
def test_keys_are_lowercase_accent_free_with_one_apostrophe(written: str, key: str) -> None:
    assert normalize_key(written) == key


def test_french_elisions_split_and_english_clitics_stay_whole() -> None:
    assert [k for _, k in kinds_and_keys("j'ai l'appli qu'il m'énerve")] == [
        "j",
        "ai",
        "l",
        "appli",
        "qu",
        "il",
        "m",
        "enerve",
    ]
    assert [k for _, k in kinds_and_keys("I don't think it's fine")] == [
        "i",
        "don't",
        "think",
        "it's",
        "fine",
    ]


def test_elongation_is_flagged_and_its_variants_tried_longest_first() -> None:
    (token,) = TOKENIZER.tokenize("trooop")
    assert token.elongated
    assert elongation_variants("trooop") == ("troop", "trop")
    assert elongation_variants("nooon") == ("noon", "non")
    assert elongation_variants("trop") == ()


def test_capitals_need_two_letters() -> None:
    caps = {t.text: t.caps for t in TOKENIZER.tokenize("C'EST NUL A voir OK")}
    assert caps["EST"]
    assert caps["NUL"]
    assert caps["OK"]
    assert not caps["A"]
    assert not caps["voir"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👍🏽", "👍"),  # skin tone
        ("❤️", "❤"),  # variation selector
        ("🤦‍♂️", "🤦\u200d♂"),  # ZWJ sequence, one token
        ("🥲", "🥲"),  # Unicode 13
        ("🫠", "🫠"),  # Unicode 14
    ],
)
def test_emoji_sequences_are_one_token_reduced_to_their_base(text: str, expected: str) -> None:
    (token,) = TOKENIZER.tokenize(text)
    assert token.kind == "emoji"
    assert token.key == expected == emoji_base(text)


def test_emoticons_stand_apart_and_may_repeat_their_last_character() -> None:
    assert kinds_and_keys("bof :((( ^^ xD") == [
        ("word", "bof"),
        ("emoticon", ":("),
        ("emoticon", "^^"),
        ("emoticon", "xD"),
    ]
    # Inside a URL or a word it is not an emoticon.
    assert all(kind != "emoticon" for kind, _ in kinds_and_keys("voir https://a.fr/x :/ ok")[:1])


def test_punctuation_runs_urls_mentions_numbers_and_hashtags() -> None:
    assert kinds_and_keys("@SNCF 3 fois ?!! http://t.co/x #fail...") == [
        ("mention", "@user"),
        ("number", "<num>"),
        ("word", "fois"),
        ("punct", "?!!"),
        ("url", "<url>"),
        ("word", "fail"),
        ("punct", "..."),
    ]
    (tag,) = [t for t in TOKENIZER.tokenize("#déçu") if t.kind == "word"]
    assert tag.hashtag
    assert tag.key == "decu"


def test_terms_are_normalised_like_messages() -> None:
    assert term_keys(TOKENIZER, "J'en ai marre !") == ("j", "en", "ai", "marre")
    assert term_keys(TOKENIZER, "peut-être") == ("peut", "etre")
