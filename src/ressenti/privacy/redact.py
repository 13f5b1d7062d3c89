"""Redact personal data from a customer message before anything is stored.

Six kinds are found, each replaced by a plain typed placeholder (``[EMAIL]``, ``[PHONE]``...), so that
the emotion reading, which runs on the redacted text, sees ordinary tokens.

* e-mail addresses;
* phone numbers, French (national and +33 / 0033) and international (+CC, 00 CC, and the common
  national layouts of the United Kingdom and North America);
* IBANs, kept only when the ISO 13616 mod-97 check holds (and the length, for known countries);
* payment card numbers, kept only when the Luhn check holds and the number has a card network's
  prefix and length;
* French social-security numbers (NIR), kept only when the two-digit key holds;
* postal addresses, French and English: number + street type + name, with the postal code and city
  (or the English city, state and ZIP / UK postcode) that follow, and a postal code + city alone.

Overlaps are settled by specificity: an e-mail first, then the checksummed kinds (IBAN, NIR, card),
then addresses, then phones; between two candidates of the same kind the longer wins.  A number that
has the shape of an IBAN, a card or a NIR but fails its checksum is kept as written, and no phone or
address is carved out of it.

Standard library only; every pattern is compiled once, at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("email", "phone", "iban", "card", "nir", "address")
PLACEHOLDERS: dict[str, str] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "iban": "[IBAN]",
    "card": "[CARD]",
    "nir": "[NIR]",
    "address": "[ADDRESS]",
}
# Lower wins an overlap; inside one rank the longer span wins.
_RANK = {"email": 0, "iban": 1, "nir": 2, "card": 3, "address": 4, "phone": 5}


@dataclass(frozen=True, slots=True)
class Redaction:
    """One item of personal data: its kind and its span in the ORIGINAL text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Redacted:
    """The redacted text and what was taken out of it, in order of position."""

    text: str
    found: tuple[Redaction, ...]

    def counts(self) -> dict[str, int]:
        """Kind -> how many were redacted; only the kinds found, in the order of ``KINDS``."""
        tally: dict[str, int] = {}
        for item in self.found:
            tally[item.kind] = tally.get(item.kind, 0) + 1
        return {kind: tally[kind] for kind in KINDS if kind in tally}


# --- building blocks ---------------------------------------------------------------------------

_SPACES_CLASS = r" \u00a0\u202f"  # a space, including the non-breaking ones French typography uses
_SP = rf"[{_SPACES_CLASS}]"
_PSEP = rf"[{_SPACES_CLASS}.\-]"  # phone group separator
_WORD = r"[^\W\d_][\w\-]*(?:['’][\w\-]+)*"  # a word; hyphens and elisions (d'Alésia) inside

_TRIGGER = re.compile(r"[0-9@]")
_DIGIT = re.compile(r"[0-9]")

# --- e-mail ------------------------------------------------------------------------------------

_EMAIL_LOCAL = re.compile(r"[\w.+\-']")
_EMAIL_DOMAIN = re.compile(r"(?:[\w\-]+\.)+[^\W\d_]{2,24}(?![\w\-])")


def _find_emails(text: str, hits: list[tuple[int, int, str]]) -> None:
    """From each "@", the local part back to the start of its word, the domain forward."""
    at = text.find("@")
    while at >= 0:
        start = at
        while start > 0 and _EMAIL_LOCAL.match(text, start - 1):
            start -= 1
        while start < at and not (text[start].isalnum() or text[start] == "_"):
            start += 1
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if start < at and domain is not None:
            hits.append((start, domain.end(), "email"))
            at = text.find("@", domain.end())
        else:
            at = text.find("@", at + 1)


# --- IBAN --------------------------------------------------------------------------------------

# Found from its first check digit (digits are rarer than letters, so the scan is quicker); the match
# starts two characters after the IBAN does.
_IBAN = re.compile(
    rf"[0-9](?<=[A-Za-z]{{2}}[0-9])(?<!\w[A-Za-z]{{2}}[0-9])[0-9]"
    rf"(?:{_SP}?[A-Za-z0-9]{{4}}){{2,7}}(?:{_SP}?[A-Za-z0-9]{{1,4}})?"
)
_SPACES = re.compile(_SP)
_CHUNK = re.compile(r"[A-Za-z0-9]+")
_DIGIT_CHUNK = re.compile(r"[A-Za-z0-9]*[0-9][A-Za-z0-9]*")
# Registry lengths of the countries customers of a French-first platform are most likely to use;
# any other country code is accepted at 15 to 34 characters, the check digits still deciding.
_IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28,
    "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31,
    "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "TR": 26,
}  # fmt: skip


_LETTER_VALUES = str.maketrans({chr(code): str(code - 55) for code in range(65, 91)})  # A=10 ... Z=35


def _iban_ok(compact: str) -> bool:
    """ISO 13616: country code, two check digits, then a BBAN; the whole is 1 modulo 97."""
    size = len(compact)
    expected = _IBAN_LENGTHS.get(compact[:2])
    if (expected is not None and size != expected) or not 15 <= size <= 34:
        return False
    if sum(ch.isdigit() for ch in compact[4:]) < 8:  # a real BBAN is mostly digits
        return False
    return int((compact[4:] + compact[:4]).translate(_LETTER_VALUES)) % 97 == 1


def _find_ibans(text: str, hits: list[tuple[int, int, str]], shields: list[tuple[int, int]]) -> None:
    for match in _IBAN.finditer(text):
        start = match.start() - 2
        # Try the longest prefix that ends at a chunk boundary and is not glued to a following word.
        ends = [chunk.end() + 2 for chunk in _CHUNK.finditer(match.group())]
        found = False
        for rel_end in reversed(ends):
            end = start + rel_end
            if end < len(text) and (text[end].isalnum() or text[end] == "_"):
                continue
            compact = _SPACES.sub("", text[start:end]).upper()
            if _iban_ok(compact):
                hits.append((start, end, "iban"))
                found = True
                break
        if not found:
            # IBAN-shaped but failing its check: kept as written, and no phone is taken out of it.
            digit_end = start + 2 + [chunk.end() for chunk in _DIGIT_CHUNK.finditer(match.group())][-1]
            if len(_SPACES.sub("", text[start:digit_end])) >= 15:
                shields.append((start, digit_end))


# --- payment cards -----------------------------------------------------------------------------

# A run of at least 13 digits with single spaces or dashes between groups, taken from its first digit.
_DIGIT_RUN = re.compile(
    rf"[0-9](?<![0-9]{{2}})(?<![0-9][{_SPACES_CLASS}\-][0-9])(?:[{_SPACES_CLASS}\-]?[0-9]){{12,}}"
)
_DIGITS = re.compile(r"[0-9]+")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card_brand_ok(digits: str) -> bool:
    """A card network's prefix with one of its lengths (Visa, Mastercard, Amex, Diners, JCB, Discover...)."""
    size = len(digits)
    if digits[0] == "4":
        return size in (13, 16, 19)
    two, four = digits[:2], digits[:4]
    if two in ("34", "37"):
        return size == 15
    if "51" <= two <= "55" or "2221" <= four <= "2720":
        return size == 16
    if two in ("36", "38", "39") or "300" <= digits[:3] <= "305":
        return 14 <= size <= 19
    if "3528" <= four <= "3589" or digits[0] == "6" or two == "50" or "56" <= two <= "58":
        return 16 <= size <= 19
    return False


def _card_layout_ok(sizes: list[int]) -> bool:
    """Written in one piece, by fours (the last group shorter), or 4-6-5 / 4-6-4 (Amex, Diners)."""
    if len(sizes) == 1 or sizes in ([4, 6, 5], [4, 6, 4]):
        return True
    return len(sizes) >= 4 and all(size == 4 for size in sizes[:-1]) and 1 <= sizes[-1] <= 4


def _glued_before(text: str, index: int) -> bool:
    if index == 0:
        return False
    char = text[index - 1]
    return char.isalnum() or char == "_" or (char in ".,/" and index > 1 and text[index - 2].isdigit())


def _glued_after(text: str, index: int) -> bool:
    if index >= len(text):
        return False
    char = text[index]
    return (
        char.isalnum()
        or char == "_"
        or (char in ".,/" and index + 1 < len(text) and text[index + 1].isdigit())
    )


def _find_cards(text: str, hits: list[tuple[int, int, str]], shields: list[tuple[int, int]]) -> None:
    ibans = sorted((start, end) for start, end, kind in hits if kind == "iban")  # their digits are no card
    next_iban = 0
    for run in _DIGIT_RUN.finditer(text):
        while next_iban < len(ibans) and ibans[next_iban][1] <= run.start():
            next_iban += 1
        if next_iban < len(ibans) and ibans[next_iban][0] <= run.start():
            continue
        groups = [(g.start(), g.end()) for g in _DIGITS.finditer(text, run.start(), run.end())]
        if _glued_before(text, run.start()):
            groups = groups[1:]
        if groups and _glued_after(text, run.end()):
            groups = groups[:-1]
        sizes = [end - start for start, end in groups]
        failed: tuple[int, int] | None = None
        first = 0
        while first < len(groups):
            chosen = -1
            if sizes[first] == 4 or 13 <= sizes[first] <= 19:  # the only ways a card number starts
                total = 0
                windows: list[int] = []
                for last in range(first, len(groups)):
                    total += sizes[last]
                    if total > 19:
                        break
                    if total >= 13:
                        windows.append(last)
                for last in reversed(windows):
                    if not _card_layout_ok(sizes[first : last + 1]):
                        continue
                    if len({text[groups[k][1]] for k in range(first, last)}) > 1:  # one separator throughout
                        continue
                    digits = "".join(text[start:end] for start, end in groups[first : last + 1])
                    if not _card_brand_ok(digits):
                        continue
                    if _luhn_ok(digits):
                        chosen = last
                        break
                    if failed is None:
                        failed = (groups[first][0], groups[last][1])
            if chosen >= 0:
                hits.append((groups[first][0], groups[chosen][1], "card"))
                first = chosen + 1
            else:
                first += 1
        if failed is not None:
            shields.append(failed)


# --- French social-security number (NIR) -------------------------------------------------------

_NIR = re.compile(
    rf"([12378])(?<![\w.,][12378]){_SP}?([0-9]{{2}}){_SP}?(0[1-9]|1[0-2]|[23][0-9]|4[0-2]|[5-9][0-9]){_SP}?"
    rf"([0-9]{{2}}|2[ABab]){_SP}?([0-9]{{3}}){_SP}?([0-9]{{3}}){_SP}?([0-9]{{2}})(?!\w)(?![.,][0-9])"
)


def _nir_ok(parts: tuple[str, ...]) -> bool:
    """Key = 97 - (13-digit number mod 97), Corsica's 2A and 2B counted as 19 and 18."""
    sex, year, month, department, commune, order, key = parts
    department = {"2A": "19", "2B": "18"}.get(department.upper(), department)
    number = int(sex + year + month + department + commune + order)
    return int(key) == 97 - number % 97


def _find_nirs(text: str, hits: list[tuple[int, int, str]], shields: list[tuple[int, int]]) -> None:
    for match in _NIR.finditer(text):
        if _nir_ok(match.groups()):
            hits.append((match.start(), match.end(), "nir"))
        else:
            shields.append((match.start(), match.end()))


# --- phone numbers -----------------------------------------------------------------------------

# Each pattern starts with the character it consumes first and then looks behind it: a leading
# look-behind would be tried at every position of the text, which is several times slower.
_NOT_AFTER = r"[\w+@]"  # a phone is not glued to a word, a "+" or an "@"
_PH_LA = r"(?![\w@])(?![.,/\-][0-9])"
_PH_ZERO = rf"0(?<!{_NOT_AFTER}0)(?<![0-9][.,/\-]0)"  # a leading 0, not inside a date or a number
_PH_INTL = rf"(?:\+(?<!{_NOT_AFTER}\+){_SP}?|0(?<!{_NOT_AFTER}0)0{_SP}?)"  # "+" or "00"
_FR_PAIRS = rf"(?:(?P<pair>{_PSEP})[0-9]{{2}}(?:(?P=pair)[0-9]{{2}}){{3}}|[0-9]{{8}})"
_PHONES = (
    # French national: 06 12 34 56 78, 06.12.34.56.78, 0612345678 (by pairs, one separator throughout)
    re.compile(rf"{_PH_ZERO}[1-9]{_FR_PAIRS}{_PH_LA}"),
    # French international: +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033 6 12 34 56 78
    re.compile(rf"{_PH_INTL}33{_SP}?(?:\(0\){_SP}?|0)?[1-9]{_FR_PAIRS}{_PH_LA}"),
    # UK national, 11 digits: 020 7946 0958, 0161 496 0000, 07700 900123, 01632 960 123
    re.compile(
        rf"{_PH_ZERO}[1-9](?:[0-9]{_SP}?[0-9]{{4}}{_SP}?[0-9]{{4}}|[0-9]{{2}}{_SP}?[0-9]{{3}}{_SP}?[0-9]{{4}}"
        rf"|[0-9]{{3}}{_SP}?[0-9]{{6}}|[0-9]{{3}}{_SP}?[0-9]{{3}}{_SP}?[0-9]{{3}}){_PH_LA}"
    ),
    # North American national: (415) 555-2671
    re.compile(rf"\((?<!{_NOT_AFTER}\()[2-9][0-9]{{2}}\){_SP}?[2-9][0-9]{{2}}[\-. ][0-9]{{4}}{_PH_LA}"),
    # ... and 415-555-2671, 415.555.2671, 415 555 2671 (one separator throughout)
    re.compile(
        rf"[2-9](?<!{_NOT_AFTER}[2-9])[0-9]{{2}}(?P<sep>[\-.]|{_SP})[2-9][0-9]{{2}}(?P=sep)"
        rf"[0-9]{{4}}{_PH_LA}"
    ),
)
# Any other country: +44 20 7946 0958, +1 (415) 555-2671, +49 30 901820, 00 44 20 7946 0958
_PHONE_INTL = re.compile(
    rf"(?P<prefix>{_PH_INTL})(?!33)[1-9][0-9]{{0,2}}(?:{_SP}?\(0\))?"
    rf"(?:{_PSEP}?(?:\([0-9]{{1,4}}\)|[0-9])){{5,13}}{_PH_LA}"
)
_NANP_TRUNK = re.compile(r"(?<![\w+@])1[\-. ]\Z")  # the "1-" before a North American number


def _find_phones(text: str, hits: list[tuple[int, int, str]]) -> None:
    for index, pattern in enumerate(_PHONES):
        for match in pattern.finditer(text):
            start = match.start()
            if index >= 3 and _NANP_TRUNK.search(text, max(0, start - 3), start):
                start -= 2
            elif index == 4 and start >= 2 and text[start - 1] in ".,/-" and text[start - 2].isdigit():
                continue
            hits.append((start, match.end(), "phone"))
    for match in _PHONE_INTL.finditer(text):
        body = match.group()[len(match.group("prefix")) :].replace("(0)", "")
        digits = sum(char.isdigit() for char in body)
        if not 8 <= digits <= 15:
            continue
        # "00" is a common start of order numbers: written without any grouping it is not a phone.
        if match.group("prefix").startswith("00") and match.group().isdigit():
            continue
        hits.append((match.start(), match.end(), "phone"))


# --- postal addresses --------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP = _word_set(
    """
    et ou mais donc car ni je j tu il elle on nous vous ils elles me te se mon ma mes ton ta tes son sa ses
    notre nos votre vos leur leurs ce cet cette ces qui que quoi dont où à a ai as avons avez ont est es
    sont suis été être pour par avec sans chez dans depuis pendant après avant vers entre près svp stp
    merci bonjour bonsoir cordialement salut puis alors quand comme si ne pas plus très y en un une
    colis commande livraison livré livrée reçu jamais toujours encore hier demain aujourd'hui
    and or but the an i we you he she it they my your our their his her its this that these those is
    are was were be been have has had in on at to from for with by of since near about after before
    during please thanks thank hello hi dear never not no yes still just only also ago order parcel
    day days hour hours minute minutes min mins week weeks month months year years way lane lanes
    time times items item euros euro eur dollars dollar usd pounds miles km points clients customers
    """
)
_PARTICLES = _word_set("de du des la le les l d aux au sur sous saint sainte st ste")
_MONTHS = _word_set(
    """
    janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre
    decembre january february march april may june july august september october november december
    """
)

_FR_TYPES_CLEAR = _word_set(
    "rue avenue boulevard bd bld bvd blvd av allée allee chemin impasse imp quai route rte faubourg fbg "
    "rond-point esplanade parvis résidence residence lotissement hameau sentier chaussée chaussee ruelle "
    "venelle traverse montée montee"
)
_FR_TYPES_AMBIGUOUS = _word_set("place pl cours square sq passage voie mail villa cité cite clos promenade")
_FR_TYPE_SET = _FR_TYPES_CLEAR | _FR_TYPES_AMBIGUOUS
# Address patterns, like the phone ones, consume their first digit before looking behind it.
_NUMBER_START = r"[0-9](?<![\w,.#°$€£/\-][0-9])"
# A number and the (up to five) words after it: French streets put the type first ("12 rue de la
# Paix"), English ones last ("221B Baker Street"); Python tells which, in one pass over the text.
_STREET = re.compile(
    rf"(?P<num>{_NUMBER_START}[0-9]{{0,4}})"  # 12, 221 (B), 3 (bis), 12-14
    rf"(?:{_SP}?(?:bis|ter|quater|Bis|Ter|BIS|TER)\b|[A-Za-z]\b)?(?:-[0-9]{{1,5}})?"
    rf"(?:{_SP}*,)?{_SP}+(?=[^\W\d_]|[0-9]{{1,3}}(?i:st|nd|rd|th)\b)"
)
_STREET_WORD = re.compile(rf"(?P<word>[\w'’\-]+)(?P<dot>\.?)(?P<space>{_SP}*)")
_PUNCTUATION = ".,;:!?"
_LIEU_DIT = re.compile(r"(?<!\w)lieu[- ]dit\b", re.IGNORECASE)
_NEXT_TOKEN = re.compile(rf"{_SP}+(?:(?P<num>[0-9]{{1,4}})(?!\w)|(?P<word>{_WORD}))")
_POSTAL_CODE = r"(?:0[1-9]|[1-8][0-9]|9[0-8])[0-9]{3}"
_POSTAL_OK = re.compile(_POSTAL_CODE)
_FR_POSTAL_AFTER = re.compile(rf"{_SP}*[,\-–]?{_SP}*(?P<code>{_POSTAL_CODE}){_SP}+(?P<city>{_WORD})")
_FR_POSTAL = re.compile(rf"[0-9]{{5}}{_SP}+(?P<city>{_WORD})")
_CEDEX = re.compile(rf"{_SP}+cedex(?:{_SP}+[0-9]{{1,2}})?(?!\w)", re.IGNORECASE)
_KEYWORD_BEFORE = re.compile(
    r"(?<!\w)(?:n°|no\.?|num(?:éro|ero)?\.?|#|ticket|commande|order|ref|réf|référence|reference|dossier"
    r"|facture|invoice|client|compte|account|colis|suivi|tracking|code|contrat|contract|id|sinistre|claim"
    r"|case|vol|flight)\W{0,3}\Z",
    re.IGNORECASE,
)

_EN_TYPES = (
    "Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Close|Terrace"
    "|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Mews"
)
_EN_LOWERCASE_TYPES = frozenset(("street", "avenue", "boulevard", "road"))
_EN_TYPE_SET = frozenset(_EN_TYPES.lower().split("|"))
_DIRECTION = re.compile(rf"{_SP}+(?:NW|NE|SW|SE|N|S|E|W)\b")
_ORDINAL = re.compile(r"[0-9]{1,3}(?:st|nd|rd|th)", re.IGNORECASE)
_NAME_WORD = re.compile(_WORD)
# English postcodes are found from their first digit too: "SW1A 2AA" from the "1", "DC 20500" from
# the "2"; the letters before it are checked in Python, and the city before them looked for there.
_UK_POSTCODE = re.compile(rf"[0-9](?<=[A-Z][0-9])[A-Z0-9]?{_SP}[0-9][A-Z]{{2}}(?!\w)")
_CITY_BEFORE = re.compile(rf"(?<!\w)[A-Z][a-z]+(?:{_SP}[A-Z][a-z]+){{0,2}},?{_SP}+\Z")
_US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND"
    "|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR"
)
_US_STATE_SET = frozenset(_US_STATES.split("|"))
_US_ZIP = re.compile(rf"[0-9](?<=[A-Z]{{2}}{_SP}[0-9])[0-9]{{4}}(?:-[0-9]{{4}})?(?![\w\-])")
_UNITS = r"(?:apt|apartment|appt|appartement|suite|ste|unit|flat|bât|bâtiment|bat|batiment|escalier|esc)"
_UNIT_BEFORE = re.compile(
    rf"(?<!\w){_UNITS}\.?{_SP}*(?:n°|no\.?|#)?{_SP}*[A-Za-z0-9]{{1,5}}{_SP}*,?{_SP}*\Z", re.IGNORECASE
)
_UNIT_AFTER = re.compile(
    rf"{_SP}*,?{_SP}*{_UNITS}\.?{_SP}*(?:n°|no\.?|#)?{_SP}*[A-Za-z0-9]{{1,5}}(?!\w)", re.IGNORECASE
)
_GAP = re.compile(r"[\s,]{0,3}")
_LETTERS = re.compile(r"[A-Za-z]+")


def _core(word: str) -> str:
    """The word without a French elision: l'Église -> Église, d'Alésia -> Alésia."""
    if len(word) > 2 and word[1] in "'’" and word[0] in "lLdD":
        return word[2:]
    return word


def _capitalised(word: str) -> bool:
    core = _core(word)
    return core[:1].isupper() and core.lower() not in _STOP


def _scan_fr_street_name(text: str, pos: int, strict: bool) -> int:
    """End of the street name that starts after ``pos``, or -1 when there is none.

    Particles (de, la, l'...) are taken only when a name follows; a number only inside a name
    ("rue du 8 Mai 1945").  A capitalised name stops at the first lowercase word; a name typed in
    lowercase (chat) is at most two words; ``strict`` (an ambiguous type such as "place" or "cours")
    takes capitalised names only.
    """
    end = -1
    names = lowercase = 0
    after_month = False
    for _ in range(12):
        match = _NEXT_TOKEN.match(text, pos)
        if match is None:
            break
        number = match.group("num")
        if number is not None:
            if after_month and len(number) == 4:
                end = pos = match.end()
                after_month = False
                continue
            following = _NEXT_TOKEN.match(text, match.end())
            if len(number) <= 2 and following is not None and _capitalised(following.group("word") or ""):
                pos = match.end()
                continue
            break
        word = match.group("word")
        low = word.lower()
        if low in _STOP:
            break
        if low in _PARTICLES:
            pos = match.end()
            continue
        if _capitalised(word):
            names += 1
        elif not strict and names == lowercase and lowercase < 2:
            names += 1
            lowercase += 1
        else:
            break
        end = pos = match.end()
        after_month = low in _MONTHS
        if names >= 6:
            break
    return end


def _scan_city(text: str, city_end: int) -> int:
    """Extend a city by up to two capitalised words (Le Havre, Saint Denis) and a CEDEX."""
    end = city_end
    for _ in range(2):
        match = _NEXT_TOKEN.match(text, end)
        word = match.group("word") if match else None
        if match is None or word is None or word.lower() == "cedex" or not _capitalised(word):
            break
        end = match.end()
    cedex = _CEDEX.match(text, end)
    return cedex.end() if cedex else end


def _after_fr_street(text: str, end: int) -> int:
    """Take the postal code + city that follow a French street, when present."""
    match = _FR_POSTAL_AFTER.match(text, end)
    if match is None or match.group("city").lower() in _STOP:
        return end
    return _scan_city(text, match.end())


def _keyword_before(text: str, start: int) -> bool:
    return _KEYWORD_BEFORE.search(text, max(0, start - 24), start) is not None


def _english_code_start(text: str, match: re.Match[str], uk: bool) -> int:
    """Start of a UK postcode / US state + ZIP found from its first digit, or -1 when it is not one."""
    digit = match.start()
    if uk:  # one or two capital letters before the digit
        start = digit - 2 if digit >= 2 and "A" <= text[digit - 2] <= "Z" else digit - 1
    else:  # a state code and a space before the ZIP
        start = digit - 3
        if text[start : start + 2] not in _US_STATE_SET:
            return -1
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return -1
    return start


def _city_before(text: str, start: int) -> int:
    """Start of the city written just before an English postcode, leaving out sentence words."""
    city = _CITY_BEFORE.search(text, max(0, start - 48), start)
    if city is None:
        return start
    begin = city.start()
    for word in _LETTERS.finditer(text, city.start(), start):
        if word.group().lower() in _STOP:
            begin = word.end()
    while begin < start and not text[begin].isalpha():
        begin += 1
    return begin


def _postal_city(text: str, start: int) -> tuple[int, int] | None:
    """A French postal code and the capitalised city after it ("75011 Paris"), not after "n°", "ticket"..."""
    match = _FR_POSTAL.match(text, start)
    if match is None or not _POSTAL_OK.match(text, start):
        return None
    city = match.group("city")
    if not _capitalised(city) or city.lower() in _MONTHS or _keyword_before(text, start):
        return None
    return start, _scan_city(text, match.end())


def _street(text: str, match: re.Match[str]) -> tuple[int, int] | None:
    """The street address that starts at a number, French or English, or None."""
    pos = match.end()
    lows = [word.rstrip(_PUNCTUATION).lower() for word in text[pos : pos + 120].split(None, 5)[:5]]
    french = lows[0] in _FR_TYPE_SET
    if not french and _EN_TYPE_SET.isdisjoint(lows[1:]):  # the quick way out, for most numbers
        return None
    words: list[re.Match[str]] = []
    while len(words) < 5:
        word = _STREET_WORD.match(text, pos)
        if word is None:
            break
        words.append(word)
        if not word.group("space"):
            break
        pos = word.end()
    if french and len(match.group("num")) <= 4:
        first = words[0]
        if first.group("word").lower() not in _FR_TYPE_SET:
            return None
        type_end = first.end("dot") if first.group("space") else first.end("word")
        end = _scan_fr_street_name(text, type_end, strict=first.group("word").lower() in _FR_TYPES_AMBIGUOUS)
        return (match.start(), _after_fr_street(text, end)) if end > 0 else None
    for index in range(1, len(words)):
        if words[index].group("word").lower() not in _EN_TYPE_SET:
            continue
        names = [w.group("word") for w in words[:index]]
        if any(w.group("dot") or not w.group("space") for w in words[:index]):
            return None
        if not all(_ORDINAL.fullmatch(w) or _NAME_WORD.fullmatch(w) for w in names):
            return None
        capitalised = all(_ORDINAL.fullmatch(w) or _capitalised(w) for w in names)
        lowercase_ok = words[index].group("word").lower() in _EN_LOWERCASE_TYPES and not any(
            w.lower() in _STOP or w.lower() in _PARTICLES for w in names
        )
        if not (capitalised or lowercase_ok):
            return None
        end = words[index].end("word")
        direction = _DIRECTION.match(text, end)
        return match.start(), direction.end() if direction else end
    return None


def _find_addresses(text: str, hits: list[tuple[int, int, str]]) -> None:
    spans: list[tuple[int, int]] = []
    for match in _STREET.finditer(text):
        span = _street(text, match)
        if span is None and match.end("num") - match.start() == 5:
            span = _postal_city(text, match.start())
        if span is not None:
            spans.append(span)
    if "dit" in text or "DIT" in text or "Dit" in text:
        for match in _LIEU_DIT.finditer(text):
            end = _scan_fr_street_name(text, match.end(), strict=True)
            if end > 0:
                spans.append((match.start(), _after_fr_street(text, end)))
    for pattern, uk in ((_UK_POSTCODE, True), (_US_ZIP, False)):
        for match in pattern.finditer(text):
            code = _english_code_start(text, match, uk)
            if code < 0:
                continue
            start = _city_before(text, code)
            if start == code and _keyword_before(text, code):
                continue
            spans.append((start, match.end()))
    if not spans:
        return
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (
            start <= merged[-1][1]
            or (start - merged[-1][1] <= 3 and _GAP.fullmatch(text, merged[-1][1], start))
        ):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    for start, end in merged:
        before = _UNIT_BEFORE.search(text, max(0, start - 40), start)
        after = _UNIT_AFTER.match(text, end)
        hits.append((before.start() if before else start, after.end() if after else end, "address"))


# --- putting it together -----------------------------------------------------------------------


def redact(text: str) -> Redacted:
    """Replace every item of personal data in ``text`` by its placeholder; spans refer to ``text``."""
    if not text or _TRIGGER.search(text) is None:
        return Redacted(text, ())
    hits: list[tuple[int, int, str]] = []
    if "@" in text:
        _find_emails(text, hits)
    if _DIGIT.search(text) is not None:
        shields: list[tuple[int, int]] = []
        _find_ibans(text, hits, shields)
        _find_nirs(text, hits, shields)
        _find_cards(text, hits, shields)
        weak: list[tuple[int, int, str]] = []
        _find_addresses(text, weak)
        _find_phones(text, weak)
        if shields and weak:
            blocked = bytearray(len(text))
            for start, end in shields:
                blocked[start:end] = b"\x01" * (end - start)
            weak = [span for span in weak if blocked.find(1, span[0], span[1]) < 0]
        hits.extend(weak)
    if not hits:
        return Redacted(text, ())

    hits.sort(key=lambda h: (_RANK[h[2]], h[0] - h[1], h[0]))
    taken = bytearray(len(text))
    chosen: list[tuple[int, int, str]] = []
    for start, end, kind in hits:
        if start < end and taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, kind))
    chosen.sort()

    parts: list[str] = []
    last = 0
    for start, end, kind in chosen:
        parts.append(text[last:start])
        parts.append(PLACEHOLDERS[kind])
        last = end
    parts.append(text[last:])
    return Redacted("".join(parts), tuple(Redaction(kind, start, end) for start, end, kind in chosen))
