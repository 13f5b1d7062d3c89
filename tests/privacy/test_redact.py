"""PII redaction: what is taken out, what is left alone, and how the result points back at the message."""

from __future__ import annotations

import time

import pytest

from ressenti.privacy import KINDS, PLACEHOLDERS, Redacted, Redaction, redact

# A valid NIR, worked out with the formula: 97 - (1 85 05 78 006 084 mod 97) = 91.
NIR = "1 85 05 78 006 084 91"


def only(text: str) -> tuple[str, str]:
    """The single kind found in ``text`` and the original characters its span covers."""
    result = redact(text)
    assert len(result.found) == 1, result
    item = result.found[0]
    return item.kind, text[item.start : item.end]


# --- the API ------------------------------------------------------------------------------------


def test_kinds_and_placeholders_are_the_documented_plain_tokens() -> None:
    assert KINDS == ("email", "phone", "iban", "card", "nir", "address")
    assert PLACEHOLDERS == {
        "email": "[EMAIL]",
        "phone": "[PHONE]",
        "iban": "[IBAN]",
        "card": "[CARD]",
        "nir": "[NIR]",
        "address": "[ADDRESS]",
    }


def test_results_are_frozen_values() -> None:
    result = redact("06 12 34 56 78")
    assert result == Redacted("[PHONE]", (Redaction("phone", 0, 14),))
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]


def test_counts_gives_each_kind_found_and_leaves_out_the_others() -> None:
    result = redact("Tél 06 12 34 56 78 ou 07 98 76 54 32, mail a.b@exemple.fr")
    assert result.counts() == {"email": 1, "phone": 2}
    assert redact("rien à cacher, 3 colis").counts() == {}


# --- e-mail -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "jean.dupont@exemple.fr",
        "jean.dupont+promo@mail.orange.fr",
        "JOHN_SMITH@Example.CO.UK",
        "élodie.martin@exemple.fr",
        "support-team@sub.domain.example.com",
    ],
)
def test_email_addresses_are_found_whole(email: str) -> None:
    text = f"Écrivez-moi à {email}. Merci"
    assert only(text) == ("email", email)
    assert redact(text).text == "Écrivez-moi à [EMAIL]. Merci"


def test_an_at_sign_without_an_address_is_not_an_email() -> None:
    assert redact("rendez-vous @ 10h, et @jean sur Twitter").found == ()


# --- phones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "01 45 67 89 10",
        "09 87 65 43 21",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+33612345678",
    ],
)
def test_french_phone_numbers_in_every_common_layout(phone: str) -> None:
    assert only(f"Rappelez-moi au {phone} svp") == ("phone", phone)


@pytest.mark.parametrize(
    "phone",
    [
        "+44 20 7946 0958",
        "+1 (415) 555-2671",
        "+49 30 901820",
        "00 44 20 7946 0958",
        "(415) 555-2671",
        "415-555-2671",
        "1-800-555-0199",
        "020 7946 0958",
        "07700 900123",
        "0161 496 0000",
    ],
)
def test_international_and_english_national_phone_numbers(phone: str) -> None:
    assert only(f"Call me on {phone} tomorrow") == ("phone", phone)


def test_a_phone_number_followed_by_a_count_keeps_the_count() -> None:
    assert redact("appelé au 06 12 34 56 78 2 fois").text == "appelé au [PHONE] 2 fois"


# --- IBAN ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iban",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "fr76 3000 6000 0112 3456 7890 189",
        "GB82 WEST 1234 5698 7654 32",
        "DE89 3704 0044 0532 0130 00",
        "BE68 5390 0754 7034",
        "NL91 ABNA 0417 1643 00",
        "IT60 X054 2811 1010 0000 0123 456",
    ],
)
def test_ibans_passing_the_mod97_check_are_found(iban: str) -> None:
    assert only(f"Mon IBAN : {iban} merci") == ("iban", iban)


@pytest.mark.parametrize(
    "number",
    [
        "FR76 3000 6000 0112 3456 7890 180",  # last digit changed: the check fails
        "GB82 WEST 1234 5698 7654 33",
        "FR76 3000 6000 0112 3456 7890",  # too short for a French IBAN
    ],
)
def test_iban_shaped_numbers_failing_the_check_stay_as_written(number: str) -> None:
    text = f"Référence {number} à rappeler"
    assert redact(text) == Redacted(text, ())


def test_an_iban_digits_are_not_also_taken_as_a_phone_or_card() -> None:
    result = redact("IBAN FR76 3000 6000 0112 3456 7890 189")
    assert [item.kind for item in result.found] == ["iban"]


# --- payment cards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",
        "4111111111111111",
        "5500-0000-0000-0004",
        "378282246310005",
        "3782 822463 10005",
        "6011111111111117",
        "2223003122003222",
        "30569309025904",
    ],
)
def test_card_numbers_passing_luhn_are_found(card: str) -> None:
    assert only(f"ma carte {card} a été débitée") == ("card", card)


@pytest.mark.parametrize(
    "number",
    [
        "4111 1111 1111 1112",  # Luhn fails
        "5500-0000-0000-0005",
        "4111 1111 1111 111",  # a digit short
        "1234 5678 9012 3452",  # Luhn holds but no card network uses this prefix
    ],
)
def test_card_shaped_numbers_failing_their_checks_stay_as_written(number: str) -> None:
    text = f"carte {number} refusée"
    assert redact(text) == Redacted(text, ())


def test_a_card_number_is_a_card_not_a_phone() -> None:
    result = redact("card 4111 1111 1111 1111, phone 06 12 34 56 78")
    assert [item.kind for item in result.found] == ["card", "phone"]
    assert result.text == "card [CARD], phone [PHONE]"


# --- French social-security number (NIR) --------------------------------------------------------


@pytest.mark.parametrize(
    "nir",
    [
        NIR,
        NIR.replace(" ", ""),
        "2 69 05 49 588 157 80",
        "2 99 12 2A 004 123 14",  # Corsica: 2A counts as 19
        "1 75 03 2B 023 456 26",  # Corsica: 2B counts as 18
        "2 84 22 75 123 456 53",  # month 20-42: a provisional number
    ],
)
def test_nir_with_a_valid_key_is_found(nir: str) -> None:
    assert only(f"mon numéro de sécu est {nir}.") == ("nir", nir)


@pytest.mark.parametrize("nir", ["1 85 05 78 006 084 92", "185057800608490", "2 99 12 2A 004 123 15"])
def test_nir_with_a_wrong_key_stays_as_written(nir: str) -> None:
    text = f"numéro {nir} sur la carte"
    assert redact(text) == Redacted(text, ())


# --- postal addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "12 rue de la Paix",
        "3 bis avenue Jean Jaurès, 69007 Lyon",
        "45, boulevard Haussmann 75009 Paris",
        "12 bd Voltaire",
        "3 av. Foch",
        "7 allée des Tilleuls",
        "5 chemin du Moulin",
        "8 impasse Victor Hugo",
        "5 place de la République",
        "2 quai de Valmy",
        "10 route de Lyon",
        "12 cours Mirabeau",
        "4 square Louis XVI",
        "12 rue du 8 Mai 1945",
        "12 rue d'Alésia 75014 Paris Cedex 14",
        "12 rue victor hugo",
        "lieu-dit Les Granges, 12340 Bozouls",
        "75011 Paris",
    ],
)
def test_french_addresses_are_taken_whole(address: str) -> None:
    assert only(f"J'habite {address} et j'attends toujours") == ("address", address)


@pytest.mark.parametrize(
    "address",
    [
        "221B Baker Street",
        "1600 Pennsylvania Avenue NW, Washington, DC 20500",
        "10 Downing St",
        "10 Downing St, London SW1A 2AA",
        "Apt 4B, 350 Fifth Avenue",
        "350 5th Avenue",
        "42 Wallaby Way",
        "SW1A 2AA",
        "M1 1AE",
        "Austin, TX 78701",
    ],
)
def test_english_addresses_and_postcodes_are_taken_whole(address: str) -> None:
    assert only(f"Please ship it to {address} as soon as possible") == ("address", address)


# --- what must never be redacted ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ma commande ML-448210 n'est pas arrivée",
        "commande n° 123456789",
        "ticket #45821",
        "dossier AB123456",
        "payé 89 €",
        "remboursez 1 299,00 €",
        "I paid $45.99",
        "livré le 14/10/2026",
        "delivered on 2026-10-14",
        "à 12h30",
        "at 10:45",
        "sous 3 jours",
        "45 minutes d'attente",
        "2 colis sur 3",
        "flight UA 1234",
        "vol AF1234",
        "depuis 2025",
        "une remise de 15 %",
        "le code 45821",
        "commande 45821 Paris",
        "colis 6A12345678901",
        "UPS 1Z999AA10123456784",
        "Tracking 1Z 999 AA1 01 2345 6784",
        "USPS 9400 1000 0000 0000 0000 00",
        "DHL JD014600006281998888",
        "Chronopost XY123456789FR",
        "j'ai pris 2 cours de yoga",
        "il reste 3 places",
        "a 10 minute drive",
        "I waited 2 hours on the road",
        "livraison prévue le 14 octobre 2026 entre 8h et 12h",
        "J'ai payé 12000 Euros",
    ],
)
def test_order_numbers_prices_dates_quantities_and_tracking_numbers_are_kept(text: str) -> None:
    assert redact(text) == Redacted(text, ())


def test_unit_numbers_go_with_the_address() -> None:
    assert only("livrer appartement 12, 5 rue des Lilas svp") == (
        "address",
        "appartement 12, 5 rue des Lilas",
    )
    assert only("send to 5 Elm Street, Apt 3 please") == ("address", "5 Elm Street, Apt 3")


def test_the_docs_example_gives_the_documented_spans() -> None:
    result = redact("Rappelez-moi au 06 12 34 56 78, j'habite 12 rue de la Paix 75002 Paris")
    assert result.text == "Rappelez-moi au [PHONE], j'habite [ADDRESS]"
    assert result.found == (Redaction("phone", 16, 30), Redaction("address", 41, 70))


def test_customer_names_are_not_redacted() -> None:
    """Free-text names cannot be found reliably without a named-entity model: they are left alone."""
    assert redact("Je suis Marie Dubois, client depuis 2019").found == ()


# --- spans, overlaps, many items ----------------------------------------------------------------


def test_spans_point_at_the_original_text_and_the_text_is_rebuilt_from_them() -> None:
    text = (
        "Marie, 12 rue de la Paix 75002 Paris, tél 06 12 34 56 78, marie@exemple.fr, "
        f"IBAN FR76 3000 6000 0112 3456 7890 189, carte 4111 1111 1111 1111, sécu {NIR}."
    )
    result = redact(text)
    originals = {item.kind: text[item.start : item.end] for item in result.found}
    assert originals == {
        "address": "12 rue de la Paix 75002 Paris",
        "phone": "06 12 34 56 78",
        "email": "marie@exemple.fr",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "card": "4111 1111 1111 1111",
        "nir": NIR,
    }
    rebuilt, last = [], 0
    for item in result.found:
        rebuilt += [text[last : item.start], PLACEHOLDERS[item.kind]]
        last = item.end
    assert "".join([*rebuilt, text[last:]]) == result.text
    starts = [item.start for item in result.found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(result.found, result.found[1:], strict=False))


def test_an_email_wins_over_the_phone_number_inside_it() -> None:
    assert only("écrire à 0612345678@sms.exemple.fr") == ("email", "0612345678@sms.exemple.fr")


def test_a_nir_is_not_also_taken_as_a_phone() -> None:
    result = redact(f"sécu {NIR} tél 0033 6 12 34 56 78")
    assert result.text == "sécu [NIR] tél [PHONE]"


def test_many_items_in_one_message_are_all_counted() -> None:
    text = " ; ".join(["06 12 34 56 78", "07 98 76 54 32", "a@b.fr", "c@d.com", "4111 1111 1111 1111"] * 20)
    assert redact(text).counts() == {"email": 40, "phone": 40, "card": 20}


def test_a_realistic_french_chat_message() -> None:
    text = (
        "Bonjour, je suis Marie Dubois. Ma commande n° 123456789 du 14/10/2026 (89,90 €) devait arriver "
        "en 3 jours, toujours rien !!! Livrez-la au 3 bis avenue Jean Jaurès, 69007 Lyon et rappelez-moi "
        "au 06 12 34 56 78 ou écrivez à marie.dubois@gmail.com. Sinon remboursez sur "
        "FR76 3000 6000 0112 3456 7890 189. C'est inadmissible."
    )
    assert redact(text).text == (
        "Bonjour, je suis Marie Dubois. Ma commande n° 123456789 du 14/10/2026 (89,90 €) devait arriver "
        "en 3 jours, toujours rien !!! Livrez-la au [ADDRESS] et rappelez-moi "
        "au [PHONE] ou écrivez à [EMAIL]. Sinon remboursez sur "
        "[IBAN]. C'est inadmissible."
    )


def test_a_realistic_english_email() -> None:
    text = (
        "Dear team,\n\nMy order ML-448210 (ticket #45821) arrived damaged on 2026-10-14. I paid $45.99 "
        "with card 4111 1111 1111 1111.\nPlease send the replacement to Apt 4B, 350 Fifth Avenue, "
        "New York, NY 10118, or call me on +1 (415) 555-2671 / john.smith@example.com.\n\nThanks, John"
    )
    assert redact(text).text == (
        "Dear team,\n\nMy order ML-448210 (ticket #45821) arrived damaged on 2026-10-14. I paid $45.99 "
        "with card [CARD].\nPlease send the replacement to [ADDRESS], or call me on [PHONE] / [EMAIL]."
        "\n\nThanks, John"
    )


# --- robustness and speed -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", "@", "0", "+", "\ud800 06 12 34 56 78 \udfff", "é" * 1000])
def test_any_string_is_accepted(text: str) -> None:
    result = redact(text)
    assert isinstance(result.text, str)
    assert all(0 <= item.start < item.end <= len(text) for item in result.found)


def test_a_message_without_digit_or_at_sign_is_returned_as_is() -> None:
    text = "Bonjour, toujours pas de nouvelles de ma commande, c'est inadmissible."
    result = redact(text)
    assert result.text is text
    assert result.found == ()


def test_a_megabyte_of_text_is_redacted_in_reasonable_time() -> None:
    message = "Rappelez-moi au 06 12 34 56 78, commande 123456789 du 14/10/2026, 12 rue de la Paix. "
    text = message * (1_000_000 // len(message))
    started = time.perf_counter()
    result = redact(text)
    assert time.perf_counter() - started < 10
    assert result.counts() == {"phone": len(text) // len(message), "address": len(text) // len(message)}


@pytest.mark.parametrize("text", ["1" * 200_000, "1 " * 100_000, "a" * 200_000 + "@", "a@" + "b." * 100_000])
def test_pathological_inputs_stay_linear(text: str) -> None:
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 5


def test_a_typical_message_takes_well_under_a_millisecond() -> None:
    """Generous bound (the measured figure is tens of microseconds): only a gross regression fails."""
    text = (
        "Bonjour, ma commande n° 123456789 du 14/10/2026 (89,90 €) n'est jamais arrivée. Rappelez-moi au "
        "06 12 34 56 78 ou écrivez à marie.dubois@gmail.com, 12 rue de la Paix 75002 Paris. Merci !"
    )
    redact(text)
    started = time.perf_counter()
    for _ in range(200):
        redact(text)
    assert (time.perf_counter() - started) / 200 < 0.002
