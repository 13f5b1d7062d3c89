"""Reading e-mail threads (``.eml``, ``.mbox``) as conversations, with the standard library only.

``read_email`` groups the messages of a file into threads (``Message-ID``/``In-Reply-To``/``References``;
the normalised subject when those headers are missing) and yields one conversation a thread, in the
format of ``docs/conversations.md`` (channel ``email``), or ``Rejected`` for a message it cannot use,
with the message's 1-based number in the file; it never stops on a bad message.

Each message keeps only what its sender wrote: ``clean_body`` removes quoted replies (``>`` lines,
attribution lines such as ``Le … a écrit :``/``On … wrote:``, ``-----Original Message-----`` and Outlook
``De : … Envoyé : …`` headers with everything after them) and signatures (``-- `` and after, ``Envoyé
depuis mon iPhone``, a confidentiality notice at the end, a closing such as ``Cordialement,`` or
``Thanks,`` followed by a short name block at the end, an HTML ``gmail_signature``).
The earliest message of a thread also gives back the earlier messages it quotes in reply, oldest first,
so that a lone ``.eml`` keeps its thread; a forwarded message is not given back (it was passed on, not
written in the conversation), and a message given back never decides who the customer is: the file's own
messages do, by their ``From``.
"""

from __future__ import annotations

import binascii
import codecs
import email
import email.errors
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ressenti.batch.records import Rejected
from ressenti.i18n import message

Conversation = dict[str, Any]
Speaker = Literal["customer", "agent", "bot"]

# --- mbox ----------------------------------------------------------------------------------------

# the "From " line that starts an mbox entry: "From sender Mon Nov  2 19:41:09 2026"; a body line
# "From my point of view…" (which writers should have escaped as ">From") does not look like it
_FROM_LINE = re.compile(
    rb"From \S*\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\s+(?:\d{1,2}\s+)?"
    rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
_ESCAPED_FROM = re.compile(rb">+From ")  # mboxrd: one ">" was added in front of a body line "From "


def _mbox_entries(stream: BinaryIO) -> Iterator[bytes]:
    """The raw messages of an mbox stream, without their "From " line; text before the first "From "
    line (a file that is one message, or junk) is an entry of its own when it is not blank."""
    lines: list[bytes] = []
    started = False
    for line in stream:
        if _FROM_LINE.match(line) or (not started and not lines and line.startswith(b"From ")):
            if started or any(kept.strip() for kept in lines):
                yield b"".join(lines)
            lines = []
            started = True
            continue
        lines.append(line[1:] if _ESCAPED_FROM.match(line) else line)
    if started or any(kept.strip() for kept in lines):
        yield b"".join(lines)


# --- text of a message ---------------------------------------------------------------------------


def _decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset (replacement characters where they do not fit); an unknown or
    invalid charset decodes as UTF-8. Bytes said to be UTF-8 that are not are read as Windows-1252,
    which mislabelled French mail nearly always is (« Très déçu », not « Tr�s d��u »)."""
    name = (charset or "utf-8").strip().lower()
    if name in ("us-ascii", "ascii", "unknown-8bit", "x-unknown", "8bit", "default"):
        name = "utf-8"
    elif name in ("iso-8859-1", "latin-1", "latin1", "iso8859-1"):
        name = "cp1252"  # what mailers labelled latin-1 nearly always is
    try:
        name = codecs.lookup(name).name
    except LookupError:
        name = "utf-8"
    if name == "utf-8":
        return _header_text(data)
    return data.decode(name, errors="replace")


def _header_text(data: bytes) -> str:
    """Raw 8-bit bytes (a header declares no charset for them, or UTF-8 is said): UTF-8; UTF-8 with
    replacement characters where a few bytes do not fit among others that do; else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if any(ord(character) > 127 and character != "\ufffd" for character in text):
            return text  # UTF-8 with stray bytes: read as Windows-1252, its accents would be garbled
        return data.decode("cp1252", errors="replace")


def _raw_header(msg: Message[str, str], name: str) -> str:
    """A header as written (encoded words kept), 8-bit bytes decoded; empty when absent."""
    value: object = msg.get(name)
    if value is None:
        return ""
    if isinstance(value, Header):  # 8-bit bytes in a header: the parser keeps them as unknown-8bit
        parts = []
        for part, charset in decode_header(value):
            if isinstance(part, bytes):
                parts.append(
                    _header_text(part) if charset in (None, "unknown-8bit") else _decode_bytes(part, charset)
                )
            else:
                parts.append(part)
        return "".join(parts)
    return str(value)


def _decode_words(text: str) -> str:
    """A header value with its RFC 2047 encoded words decoded, whitespace collapsed."""
    try:
        parts = decode_header(text)
    except (email.errors.HeaderParseError, ValueError, LookupError):
        return " ".join(text.split())
    decoded = []
    for part, charset in parts:
        if isinstance(part, bytes):
            decoded.append(_header_text(part) if charset is None else _decode_bytes(part, charset))
        else:
            decoded.append(part)
    return " ".join("".join(decoded).split())


def _find_part(msg: Message[str, str], subtype: str) -> Message[str, str] | None:
    """The first ``text/<subtype>`` part of the message body, leaving attachments (and messages
    attached whole) aside."""
    if msg.get_content_maintype() == "message":
        return None
    if msg.is_multipart():
        payload = msg.get_payload()
        for part in payload if isinstance(payload, list) else []:
            if isinstance(part, Message):
                found = _find_part(part, subtype)
                if found is not None:
                    return found
        return None
    if msg.get_content_disposition() == "attachment" or msg.get_filename():
        return None
    return msg if msg.get_content_type() == f"text/{subtype}" else None


class _BadBodyError(ValueError):
    """A text part that cannot be decoded as its headers say: the message is reported, not guessed at."""


def _is_base64(encoded: str) -> bool:
    """Whether a base64 body is base64: Python's decoder skips whatever is not, and would hand over the
    garbage of a damaged body ("!!!not base64@@@ Qm9uam91cg" reads "Bonjour") as the sender's words.
    Line breaks and spaces are allowed, and a missing final padding, which some mailers leave out."""
    data = "".join(encoded.split())
    if len(data) % 4 and not data.endswith("="):
        data += "=" * (-len(data) % 4)
    try:
        binascii.a2b_base64(data.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return False
    return True


def _part_text(part: Message[str, str]) -> str:
    """The text of a text part, decoded; ``_BadBodyError`` when its base64 is not base64."""
    if str(part.get("Content-Transfer-Encoding", "")).strip().lower() == "base64":
        encoded = part.get_payload()
        if isinstance(encoded, str) and not _is_base64(encoded):
            raise _BadBodyError(message("email_bad_base64"))
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    return _decode_bytes(payload, part.get_content_charset()).lstrip("\ufeff")


def _has_attachment(msg: Message[str, str]) -> bool:
    """Whether the message carries anything besides its text: a file attached, an inline image, a
    message attached whole. Such a message says something without a word (a photo sent alone)."""
    if msg.get_content_maintype() == "message":
        return True
    if msg.is_multipart():
        payload = msg.get_payload()
        parts = payload if isinstance(payload, list) else []
        return any(isinstance(part, Message) and _has_attachment(part) for part in parts)
    return bool(
        msg.get_content_disposition() == "attachment"
        or msg.get_filename()
        or msg.get_content_maintype() != "text"
    )


def _body(msg: Message[str, str]) -> str:
    """The text of a message: its text/plain part, or its HTML part turned into text."""
    plain = _find_part(msg, "plain")
    if plain is not None:
        text = _part_text(plain)
        if text.strip():
            return text
    html = _find_part(msg, "html")
    return html_to_text(_part_text(html)) if html is not None else ""


_HTML_SIGNATURE = re.compile(r"\b(?:gmail_signature|moz-signature)\b|^Signature$")


class _HtmlText(HTMLParser):
    """Text of an HTML body: one line a block or ``<br>``, quotes (``<blockquote>``) marked ``> ``."""

    _LINE = frozenset({"div", "li", "tr", "dd", "dt", "hr", "section", "article", "header", "footer"})
    _PARAGRAPH = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "blockquote"}
    )
    _HIDDEN = frozenset({"script", "style", "head", "title", "template", "noscript"})
    _VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._current: list[str] = []
        self._depth = 0  # blockquote depth
        self._line_depth = 0
        self._hidden = 0
        self._signature: list[str] = []  # the signature element's tag, once for each one open inside it

    def _flush(self, *, paragraph: bool = False, br: bool = False) -> None:
        line = "".join(self._current).strip()
        self._current = []
        if line:
            self.lines.append("> " * self._line_depth + line)
        elif br:
            self.lines.append("> " * self._depth)
        if paragraph and self.lines and self.lines[-1].strip():
            self.lines.append("")

    def _in_signature(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """Whether a start tag opens (or is inside) the signature a mail client marked: Gmail's
        ``gmail_signature``, Thunderbird's ``moz-signature``, Outlook's ``id="Signature"``; its name,
        title and slogans are not the sender's words."""
        if self._signature:
            if tag == self._signature[0]:
                self._signature.append(tag)
            return True
        marks = " ".join(value or "" for key, value in attrs if key in ("class", "id"))
        if _HTML_SIGNATURE.search(marks) and tag not in self._VOID:
            self._signature.append(tag)
            return True
        return False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_signature(tag, attrs):
            return
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag == "br":
            self._flush(br=True)
        elif tag in self._LINE or tag in self._PARAGRAPH:
            self._flush(paragraph=tag in self._PARAGRAPH)
            if tag == "blockquote":
                self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._signature:
            if tag == self._signature[0]:
                self._signature.pop()
            return
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._LINE or tag in self._PARAGRAPH:
            self._flush(paragraph=tag in self._PARAGRAPH)
            if tag == "blockquote":
                self._depth = max(0, self._depth - 1)

    def handle_data(self, data: str) -> None:
        if self._hidden or self._signature:
            return
        text = re.sub(r"\s+", " ", data)
        if not self._current:
            text = text.lstrip()
            if not text:
                return
            self._line_depth = self._depth
        self._current.append(text)

    def text(self) -> str:
        self._flush()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip()


def html_to_text(html: str) -> str:
    """Plain text of an HTML message (``html.parser``): block elements and ``<br>`` make lines, and the
    lines of a ``<blockquote>`` are marked ``> `` like a quoted reply."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    return parser.text()


# --- quotes and signatures -----------------------------------------------------------------------

_WROTE = re.compile(r"(?:(?<!['’])\ba\s+[ée]crit|\bwrote)\s*:\s*$", re.IGNORECASE)
_WROTE_START = re.compile(r"^(?:Le|On)\s", re.IGNORECASE)
_CLOCK = re.compile(r"\d{1,2}\s*[:h]\s*\d{2}")
_YEAR = re.compile(r"\b\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2}")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_ANGLE = re.compile(r"<([^<>]*)>")
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:original message|message d'origine|mail original|message original|courriel original)"
    r"\s*-*\s*:?\s*$",
    re.IGNORECASE,
)
_FORWARD_HEAD = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|message transf[ée]r[ée]|begin forwarded message)\s*-*\s*:?"
    r"|(?:begin forwarded message|d[ée]but du message (?:r[ée]exp[ée]di[ée]|transf[ée]r[ée]))\s*:)\s*$",
    re.IGNORECASE,
)
# a subject that says the message forwards another: Outlook's forwards look like its replies otherwise
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|fw|tr|wg|enc)\s*:", re.IGNORECASE)
_HEADER_KEYS = (
    r"from|de|sent|envoy[ée]|date|to|[àa]|cc|cci|bcc|subject|objet|reply-to|r[ée]pondre [àa]"
    r"|importance|attachments|pi[èe]ces jointes"
)
_HEADER_LINE = re.compile(rf"^[*\s]*({_HEADER_KEYS})[*\s]*:[*\s]*(.*)$", re.IGNORECASE)
_FROM_HEADER = re.compile(r"^[*\s]*(?:from|de)[*\s]*:", re.IGNORECASE)
_SENT_HEADER = re.compile(r"^[*\s]*(?:sent|envoy[ée]|date)[*\s]*:", re.IGNORECASE)
_INLINE_HEADERS = re.compile(r"\s(?=\*?(?:Sent|Envoy[ée]|Date|To|Cc|Subject|Objet)\*?\s*:)")
_MOBILE = re.compile(
    r"^(?:envoy[ée]e?s?\s+(?:depuis|de|à partir de|a partir de|via)|sent\s+(?:from|with|via)|get"
    r"|t[ée]l[ée]chargez)"
    r"\s.{0,40}?\b(?:iphone|ipad|android|samsung|galaxy|mobile|smartphone|outlook|mail|blackberry|huawei|xiaomi"
    r"|pixel|phone|t[ée]l[ée]phone|portable|tablette|windows|ios)\b.{0,30}$",
    re.IGNORECASE,
)
_CLOSING = (
    r"(?:bien |tr[èe]s |tr[èe]s bien )?cordialement|bien [àa] (?:vous|toi)|bien sinc[èe]rement"
    r"|(?:sinc[èe]res |meilleures |cordiales |bien |respectueuses )?salutations(?: distingu[ée]es)?"
    r"|(?:kind|best|warm|warmest|kindest)?\s?regards|(?:yours )?sincerely|yours (?:faithfully|truly)"
    r"|best wishes|all the best|cheers"
)
_CLOSING_LINE = re.compile(rf"^(?:{_CLOSING})\s*[,.!]?\s*(?:[^\W\d][\w .'-]{{0,40}})?$", re.IGNORECASE)
# "Thanks," and "Merci," close a message only when a signature follows them (see _signs_off)
_THANKS_LINE = re.compile(
    r"^(?:thanks|thank you|many thanks|thanks again|thanks in advance|thank you in advance|merci"
    r"|merci d'avance|merci par avance|merci beaucoup|merci encore"
    r"|en vous remerciant(?: par avance| d'avance)?|bonne (?:journ[ée]e|soir[ée]e|fin de journ[ée]e)"
    r"|have a (?:nice|good|great) day)\s*[,.!]?$",
    re.IGNORECASE,
)
_RULE_LINE = re.compile(r"^\s*(?:_{5,}|-{5,}|={5,}|\*{5,})\s*$")
_CONTACT_LINE = re.compile(
    r"^\s*(?:(?:t[ée]l|tel|phone|mobile|portable|fax|e-?mail|courriel|web|site)\.?\s*:?\s*)?"
    r"(?:[+(]?\d[\d ().-]{5,}\d|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+)\s*$",
    re.IGNORECASE,
)
_PS_LINE = re.compile(r"^p\.?\s?s\.?\s*[:-]?\s", re.IGNORECASE)  # "PS : …", "P.S. …": the sender's words
# a line of a signature may end with a full stop after these ("ACME Ltd.", "Martin S.A.")
_COMPANY_SUFFIXES = frozenset(
    {"inc", "ltd", "corp", "co", "llc", "plc", "sa", "sas", "sarl", "gmbh", "bv", "ag"}
)
_NAME_PARTICLES = frozenset(
    {"de", "du", "des", "d'", "van", "von", "der", "den", "le", "la", "del", "da", "di"}
)
_DISCLAIMER_START = re.compile(
    r"^(?:(?:ce|cet|le pr[ée]sent)\s+(?:message|courriel|e-?mail|mail)\b|les informations contenues"
    r"|this\s+(?:e-?mail|message|communication)\b|the information (?:contained|in this)"
    r"|(?:avis de )?confidentialit[ée]\s*:|confidential(?:ity)?(?: notice)?\s*:|disclaimer\s*:"
    r"|avertissement\s*:|please consider the environment|(?:merci de )?pensez? [àa] l'environnement"
    r"|avant d'imprimer)",
    re.IGNORECASE,
)
_DISCLAIMER_WORDS = re.compile(
    r"confidenti|intended (?:solely |only |exclusively )?(?:for|recipient)|privileg|seul destinataire"
    r"|(?:le|la|les) destinataires?|destin[ée]e?s? (?:exclusivement|uniquement)|imprim|printing"
    r"|environnement|environment",
    re.IGNORECASE,
)
NAME_BLOCK_LINES = 6  # at most this many short lines after a closing make a name block
NAME_BLOCK_WIDTH = 70
DISCLAIMER_LINES = 15  # a notice starting further from the end is the sender's text


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _unquote(line: str) -> str:
    line = line.lstrip()[1:]
    return line[1:] if line.startswith(" ") else line


@dataclass(slots=True)
class _Quote:
    """An earlier message quoted from ``start`` on: who wrote it, when, its lines (unquoted), and the
    line where the quoting message goes on after it (bottom posting), if it does."""

    start: int
    name: str
    address: str
    when: str
    earlier: list[str]
    resume: int | None
    forwarded: bool = False  # a message passed on, not one of this conversation's


def _person(value: str) -> tuple[str, str]:
    """(name, address) of ``Jean Dupont <jean@x.fr>``, ``Jean Dupont [mailto:jean@x.fr]`` or a bare name."""
    value = re.sub(r"\[mailto:([^\]]*)\]", r"<\1>", value).strip()
    angle = _ANGLE.search(value)
    if angle:
        address = "".join(angle.group(1).split())
        if "@" in address:
            name = value[: angle.start()].strip()
            return name.strip("\"' ,;"), address.lower()
    if "@" in value:
        name, address = parseaddr(value)
        if "@" in address:
            return name.strip("\"' "), address.lower()
        found = _EMAIL.search(value)
        return "", found.group(0).lower() if found else ""
    return value.strip("\"' ,;"), ""


def _wrote_attribution(lines: list[str], index: int) -> tuple[str, int] | None:
    """The attribution line ("Le … a écrit :", "On … wrote:", possibly wrapped over three lines) that
    starts at ``index``, and its last line."""
    first = lines[index].strip()
    if not first or _is_quoted(first):
        return None
    candidates = [(first, index)]
    if _WROTE_START.match(first) and not _WROTE.search(first):
        joined = first
        for end in range(index + 1, min(index + 3, len(lines))):
            following = lines[end].strip()
            if not following or _is_quoted(following) or _WROTE_START.match(following):
                break
            joined = f"{joined} {following}"
            candidates.append((joined, end))
    for text, end in candidates:
        if len(text) > 400 or not _WROTE.search(text):
            continue
        following = next((line for line in lines[end + 1 : end + 3] if line.strip()), "")
        # followed by a quote, it is one; else it must look like a mail client's: an address, or a date
        # and time ("Le technicien a écrit :" in a customer's text is no attribution)
        dated = _WROTE_START.match(text) and _CLOCK.search(text) and _YEAR.search(text)
        if _is_quoted(following) or _EMAIL.search(text) or dated:
            return text, end
    return None


def _parse_wrote(text: str) -> tuple[str, str, str]:
    """(name, address, date text) of an attribution line."""
    body = _WROTE.sub("", text).strip()
    body = _WROTE_START.sub("", body, count=1) if _WROTE_START.match(body) else body
    angle = _ANGLE.search(body)
    address_text = angle.group(1) if angle else ""
    address = "".join(address_text.split()).lower() if "@" in address_text else ""
    if angle and address:
        before = body[: angle.start()]
    else:
        bare = _EMAIL.search(body)
        if bare:
            address = bare.group(0).lower()
            before = body[: bare.start()]
        else:
            before = body
    before = before.rstrip(" ,")
    if "," in before:
        when, name = before.rsplit(",", 1)
    elif re.search(r"\d", before):
        when, name = before, ""
    else:
        when, name = "", before
    name = name.strip("\"' ")
    if re.search(r"\d", name):
        name = ""
    return name, address, when.strip()


def _header_block(lines: list[str], index: int) -> tuple[str, str, str, int]:
    """(name, address, date text, first body line) of an Outlook header block starting at ``index``."""
    fields: dict[str, str] = {}
    last = ""
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            if fields:
                break
            continue
        found = _HEADER_LINE.match(line)
        if found:
            for piece in _INLINE_HEADERS.split(line):
                piece_found = _HEADER_LINE.match(piece)
                if piece_found:
                    last = piece_found.group(1).lower()
                    fields.setdefault(last, piece_found.group(2).strip())
        elif fields and last in ("to", "à", "a", "cc", "cci", "bcc") and ("@" in line or ";" in line):
            fields[last] += " " + line
        else:
            break
        index += 1
    sender = fields.get("from") or fields.get("de") or ""
    when = next((value for key, value in fields.items() if key in ("sent", "envoyé", "envoye", "date")), "")
    name, address = _person(sender)
    return name, address, when, index


def _quote_at(lines: list[str], index: int) -> _Quote | None:
    """The quote of an earlier message that starts at line ``index``, if one does."""
    line = lines[index]
    if _is_quoted(line):
        return None
    forwarded = bool(_FORWARD_HEAD.match(line))
    if forwarded or _SEPARATOR.match(line):
        name, address, when, body = _header_block(lines, index + 1)
        return _Quote(index, name, address, when, lines[body:], None, forwarded)
    if _FROM_HEADER.match(line):
        inline = _INLINE_HEADERS.search(line) and re.search(r"(?:Sent|Envoy[ée])\*?\s*:", line)
        following = lines[index + 1 : index + 4]
        block = []
        for other in following:
            if not other.strip():
                break
            block.append(other)
        if inline or any(_SENT_HEADER.match(other) for other in block):
            name, address, when, body = _header_block(lines, index)
            return _Quote(index, name, address, when, lines[body:], None)
        return None
    wrote = _wrote_attribution(lines, index)
    if wrote is None:
        return None
    text, end = wrote
    name, address, when = _parse_wrote(text)
    start = end + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _is_quoted(lines[start]):
        return _Quote(index, name, address, when, lines[end + 1 :], None)
    stop = start
    last_quoted = start
    while stop < len(lines) and (_is_quoted(lines[stop]) or not lines[stop].strip()):
        if _is_quoted(lines[stop]):
            last_quoted = stop
        stop += 1
    earlier = [_unquote(quoted) if _is_quoted(quoted) else "" for quoted in lines[start : last_quoted + 1]]
    rest = last_quoted + 1
    resume = rest if any(other.strip() for other in lines[rest:]) else None
    return _Quote(index, name, address, when, earlier, resume)


def _line(raw: str) -> str:
    """A line without its trailing spaces, except the one of the signature separator ``-- ``."""
    raw = raw.replace("\xa0", " ")
    stripped = raw.rstrip()
    return "-- " if stripped == "--" and raw.startswith("-- ") else stripped


def _lines(text: str) -> list[str]:
    return [_line(raw) for raw in text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")]


def _own_lines(lines: list[str]) -> tuple[list[str], _Quote | None]:
    """The lines the sender wrote (quotes left out), and the first earlier message quoted."""
    own: list[str] = []
    first: _Quote | None = None
    index = 0
    while index < len(lines):
        quote = _quote_at(lines, index)
        if quote is not None:
            first = first or quote
            if quote.resume is None:
                break
            index = quote.resume
            continue
        if not _is_quoted(lines[index]):
            own.append(lines[index])
        index += 1
    return own, first


def _trim(lines: list[str]) -> list[str]:
    """Without the blank lines and rules (``_____``) at both ends."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and (not lines[end - 1].strip() or _RULE_LINE.match(lines[end - 1])):
        end -= 1
    return lines[start:end]


def _is_signature_line(line: str) -> bool:
    """A line a signature holds: a name, a title, a company, a phone, an address. Not a sentence: one
    that asks or exclaims, ends with a full stop after a word ("…personne ne répond."), goes on from
    the line before (it starts in lower case), or is a PS; those are the sender's words."""
    text = line.strip()
    if not text or _CONTACT_LINE.match(text):
        return True
    if len(text) > NAME_BLOCK_WIDTH or text.endswith(("?", "!")) or _PS_LINE.match(text) or text[0].islower():
        return False
    if text.endswith("."):
        last = re.sub(r"\W", "", text.split()[-1]).casefold()  # "Ltd." → "ltd", "S.A." → "sa"
        return last in _COMPANY_SUFFIXES or len(last) <= 2
    return True


def _is_name_block(lines: list[str]) -> bool:
    kept = [line.strip() for line in lines if line.strip()]
    return len(kept) <= NAME_BLOCK_LINES and all(_is_signature_line(line) for line in kept)


def _looks_like_name(line: str) -> bool:
    """One to four capitalised words ("Alice Martin", "A. Martin", "Bob de la Tour"), no digit."""
    words = line.strip(" ,.-").split()
    return (
        1 <= len(words) <= 4
        and not any(character.isdigit() for character in line)
        and all(word[0].isupper() or word.casefold() in _NAME_PARTICLES for word in words)
    )


def _same_name(line: str, name: str) -> bool:
    line = " ".join(line.strip(" ,.-").split()).casefold()
    name = " ".join(name.split()).casefold()
    if not line or not name:
        return False
    first = name.split()[0]
    return line in (name, first) or line == " ".join(reversed(name.split()))


def _signature_mark_at(lines: list[str]) -> int | None:
    """The first line of a signature that says it is one: ``-- `` (``--`` before a name block), or a
    mobile footer (``Envoyé de mon iPhone``, ``Sent from my Android``)."""
    for index, line in enumerate(lines):
        if (
            line == "-- "
            or (line == "--" and _is_name_block(lines[index + 1 :]))
            or _MOBILE.match(line.strip())
        ):
            return index
    return None


def _disclaimer_at(lines: list[str]) -> int | None:
    """Where a notice that ends the message starts (confidentiality, "think before printing"): a line
    that opens like one, among the last ``DISCLAIMER_LINES``, with a notice's words in it or in the two
    lines after; what follows it is the notice wrapped, or said again in another language. Its
    politeness ("Merci de votre compréhension, excellente journée !") is nobody's feeling."""
    for index in range(max(0, len(lines) - DISCLAIMER_LINES), len(lines)):
        opening = _DISCLAIMER_START.match(lines[index].strip())
        if opening and _DISCLAIMER_WORDS.search(" ".join(lines[index : index + 3])):
            return index
    return None


def _signs_off(before: list[str], after: list[str], name: str, marked: bool) -> bool:
    """Whether a ``Thanks,``/``Merci d'avance``/``Bonne journée`` line closes the message rather than
    saying thanks: a name follows it (the sender's, or a line that looks like one), or nothing but a
    signature, footer or notice that was cut; and the sender wrote something before it (a message that
    is only "Merci !" is that thanks)."""
    if not any(line.strip() for line in before):
        return False
    kept = [line.strip() for line in after if line.strip()]
    if not kept:
        return marked
    return (bool(name) and any(_same_name(line, name) for line in kept)) or _looks_like_name(kept[0])


def _closing_at(lines: list[str], name: str, marked: bool) -> int | None:
    """The line of the last closing formula followed only by a name block, if one is."""
    for index in range(len(lines) - 1, -1, -1):
        after = lines[index + 1 :]
        if not _is_name_block(after):
            return None
        closing = lines[index].strip()
        if _CLOSING_LINE.match(closing) or (
            _THANKS_LINE.match(closing) and _signs_off(lines[:index], after, name, marked)
        ):
            return index
    return None


def _drop_signature(lines: list[str], name: str = "") -> list[str]:
    """Without the signature: ``-- `` and after, a mobile footer, a confidentiality notice at the end, a
    closing formula (``Cordialement,``, ``Kind regards,``; ``Thanks,``/``Merci d'avance`` when a name or
    a cut signature follows) with only a name block after it, trailing contact lines (phone, address,
    web) and, when the sender's ``name`` is known, that name on the last line. The formula goes too:
    it is how a letter ends, not what the sender feels."""
    marked = False  # a signature, footer or notice was cut: the line before it may be a "Thanks,"
    while True:
        before = lines
        lines = _trim(lines)
        cut = _signature_mark_at(lines)
        cut = _disclaimer_at(lines) if cut is None else cut
        if cut is not None:
            lines, marked = _trim(lines[:cut]), True
        closing = _closing_at(lines, name, marked)
        if closing is not None:
            lines = _trim(lines[:closing])
        while lines and (_CONTACT_LINE.match(lines[-1]) or (name and _same_name(lines[-1], name))):
            lines = _trim(lines[:-1])
        if lines == before:
            return lines


def _tidy(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _clean(text: str, name: str = "") -> tuple[str, _Quote | None]:
    own, quote = _own_lines(_lines(text))
    return _tidy(_drop_signature(own, name)), quote


def clean_body(text: str) -> str:
    """What the sender wrote in a message body: quoted replies and signatures removed, greeting and body
    kept.

    Removed: quoted lines (``>``); an attribution line (``Le … a écrit :``, ``On … wrote:``) with the
    quote that follows it (text written after the quote is kept: bottom posting); ``-----Original
    Message-----``, ``-----Message d'origine-----`` and Outlook headers (``De : … Envoyé : …``, ``From: …
    Sent: …``) with everything after them; ``-- `` and what follows; ``Envoyé depuis mon iPhone``, ``Sent
    from my Android``…; a confidentiality notice ending the message (``Ce message et ses pièces jointes
    sont confidentiels…``, ``This email and any attachments are confidential…``); a closing
    (``Cordialement,``, ``Bien à vous,``, ``Kind regards,``, ``Best regards,``…, and ``Thanks,``, ``Merci
    d'avance``, ``Bonne journée`` when a name or a cut signature follows) with the short name block after
    it (name, title, company, phone: lines that are no sentence); phone, e-mail and web lines at the very
    end.
    """
    return _clean(text)[0]


# --- dates ---------------------------------------------------------------------------------------

_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1,
    "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "feb": 2, "february": 2,
    "mars": 3, "mar": 3, "march": 3,
    "avril": 4, "avr": 4, "apr": 4, "april": 4,
    "mai": 5, "may": 5,
    "juin": 6, "jun": 6, "june": 6,
    "juillet": 7, "juil": 7, "jul": 7, "july": 7,
    "août": 8, "aout": 8, "aoû": 8, "aug": 8, "august": 8,
    "septembre": 9, "sept": 9, "sep": 9, "september": 9,
    "octobre": 10, "oct": 10, "october": 10,
    "novembre": 11, "nov": 11, "november": 11,
    "décembre": 12, "decembre": 12, "déc": 12, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
_TIME = re.compile(r"\b(\d{1,2})\s*[:h]\s*(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE)
_OFFSET = re.compile(r"(?:GMT|UTC)?\s*([+-])(\d{1,2}):?(\d{2})\b|\b(GMT|UTC|Z)\b")


def _header_date(value: str) -> datetime | None:
    """The ``Date`` header as an aware datetime (UTC when it names no zone); None when unreadable."""
    if not value.strip():
        return None
    try:
        when = parsedate_to_datetime(value)
        when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
        when.astimezone(UTC)  # its zone is kept (quoted dates are read in it), but it must have a UTC time
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when


def _quoted_date(text: str, zone: tzinfo | None) -> datetime | None:
    """The date of an attribution or an Outlook ``Sent:`` line (French or English, words or numbers);
    without a zone in the text, the zone of the quoting message."""
    if not text:
        return None
    found = _DAY_MONTH_YEAR.search(text)
    month_first = _MONTH_DAY_YEAR.search(text)
    iso = _ISO_DATE.search(text)
    numeric = _NUMERIC_DATE.search(text)
    if found:
        day, month, year, span = int(found[1]), _MONTHS[found[2].lower()], int(found[3]), found
    elif month_first:
        day, month, year = int(month_first[2]), _MONTHS[month_first[1].lower()], int(month_first[3])
        span = month_first
    elif iso:
        year, month, day, span = int(iso.group(1)), int(iso.group(2)), int(iso.group(3)), iso
    elif numeric:
        first, second, year = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
        year += 2000 if year < 100 else 0
        twelve_hour = bool(re.search(r"\d\s*[ap]\.?\s?m\b", text, re.IGNORECASE))  # US style: month first
        month_first_order = first <= 12 < second or (twelve_hour and first <= 12 and second <= 12)
        day, month = (second, first) if month_first_order else (first, second)
        span = numeric
    else:
        return None
    rest = text[: span.start()] + " " + text[span.end() :]
    clock = _TIME.search(rest)
    hour = minute = second_ = 0
    if clock:
        hour, minute, second_ = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        meridiem = (clock.group(4) or "").lower()
        if meridiem == "p" and hour < 12:
            hour += 12
        elif meridiem == "a" and hour == 12:
            hour = 0
    offset = _OFFSET.search(rest[clock.end() :] if clock else "")
    if offset and offset.group(1):
        delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3)))
        zone = timezone(delta if offset.group(1) == "+" else -delta)
    elif offset:
        zone = UTC
    try:
        return datetime(year, month, day, hour, minute, second_, tzinfo=zone or UTC).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- messages and threads ------------------------------------------------------------------------

_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|r[ée]f|tr|fwd?|fw|aw|wg|sv|vs|antw|r[ée]p|rif|enc)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*)+",
    re.IGNORECASE,
)
_TAG = re.compile(r"\[[^\]]*\]")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond")


def display_subject(subject: str) -> str:
    """A subject without its reply and forward prefixes (``Re:``, ``RE:``, ``TR:``, ``Fwd:``, ``Réf:``…)."""
    return _REPLY_PREFIX.sub("", subject).strip()


def subject_key(subject: str) -> str:
    """The subject that messages of one thread share: no prefixes, no ``[tags]``, case and spaces folded."""
    text = subject
    while True:
        shorter = _TAG.sub(" ", _REPLY_PREFIX.sub("", text))
        if shorter == text:
            break
        text = shorter
    return " ".join(text.split()).casefold()


def _message_ids(value: str) -> list[str]:
    found = _MESSAGE_ID.findall(value)
    if found:
        return [str(identifier) for identifier in found]
    return [token.strip("<>") for token in value.split() if "@" in token]


@dataclass(slots=True)
class _Mail:
    """What is read from one message."""

    position: int
    message_id: str
    parents: list[str]  # References, then In-Reply-To
    subject: str
    name: str
    address: str
    date: datetime | None
    body: str
    auto_reply: bool
    recipients: frozenset[str] = frozenset()  # To and Cc addresses
    attachment: bool = False  # a file or an image besides the text


@dataclass(slots=True)
class _Turn:
    name: str
    address: str
    when: datetime | None
    text: str
    auto_reply: bool = False
    speaker: Speaker = "customer"
    known: bool = False
    quoted: bool = False  # recovered from a quote in a message of the file, not a message of its own


def _read_message(position: int, raw: bytes) -> _Mail | Rejected:
    """One message, or why it cannot be read."""
    try:
        msg = email.message_from_bytes(raw)
        present = {key.lower() for key in msg}
        if not present & {"from", "date", "subject", "message-id", "in-reply-to", "references", "to"}:
            return Rejected(position, message("email_no_headers"))
        name, address = parseaddr(_raw_header(msg, "From"))
        name = _decode_words(name).strip("\"' ")
        if "@" not in address:
            name, address = name or _decode_words(_raw_header(msg, "From")), ""
        own = _message_ids(_raw_header(msg, "Message-ID"))
        parents = _message_ids(_raw_header(msg, "References"))
        parents += [item for item in _message_ids(_raw_header(msg, "In-Reply-To")) if item not in parents]
        auto = _raw_header(msg, "Auto-Submitted").strip().lower().startswith("auto-replied") or any(
            msg.get(header) is not None for header in AUTO_REPLY_HEADERS
        )
        return _Mail(
            position=position,
            message_id=own[0] if own else "",
            parents=parents,
            subject=_decode_words(_raw_header(msg, "Subject")),
            name=name,
            address=address.strip().lower(),
            date=_header_date(_raw_header(msg, "Date")),
            body=_body(msg),
            auto_reply=auto,
            recipients=frozenset(
                found.strip().lower()
                for _, found in getaddresses([_raw_header(msg, "To"), _raw_header(msg, "Cc")])
                if "@" in found
            ),
            attachment=_has_attachment(msg),
        )
    except _BadBodyError as error:
        return Rejected(position, str(error))
    except Exception as error:  # a message must never stop the reading of the file: it is reported
        return Rejected(position, message("email_unreadable", error=f"{type(error).__name__}: {error}"))


def _history(body: str, mail: _Mail) -> tuple[str, list[_Turn]]:
    """The message's own text and the earlier messages it quotes, oldest first.

    Only a reply's history comes back: a forwarded message (``Forwarded message``, ``Message
    transféré``, or any quote in a message whose subject says ``Fwd:``/``TR:``) was passed on, not
    written in this conversation, and whoever wrote it is on neither side; it ends the history there."""
    text, quote = _clean(body, mail.name)
    if quote is not None and _FORWARD_SUBJECT.match(mail.subject):
        quote.forwarded = True
    earlier: list[_Turn] = []
    zone = mail.date.tzinfo if mail.date is not None else None
    seen = 0
    while quote is not None and not quote.forwarded and seen < 100:  # a quote inside a quote inside…
        seen += 1
        older_text, older_quote = _clean("\n".join(quote.earlier), quote.name)
        if older_text:
            when = _quoted_date(quote.when, zone)
            earlier.append(_Turn(quote.name, quote.address, when, older_text, quoted=True))
        quote = older_quote
    earlier.reverse()
    return text, earlier


def _domain_is_agent(address: str, agent_domains: tuple[str, ...]) -> bool:
    domain = address.rpartition("@")[2].lower()
    return any(domain == agent or domain.endswith("." + agent) for agent in agent_domains)


def _flip(speaker: Speaker) -> Speaker:
    return "agent" if speaker == "customer" else "customer"


def _assign_speakers(turns: list[_Turn], agent_domains: tuple[str, ...]) -> None:
    """Customer or agent for each turn (chronological): by the sender's domain when agent domains are
    given, else the sender of the first message of the file is the customer and any other an agent.
    A turn recovered from a quote never decides who the customer is, though it is the oldest: the
    quote may be the agent's reply that the customer answers, and its attribution line may be
    misread; the file's own messages say who wrote them in their headers. A sender known only by name
    takes the role of the address that name goes with; a turn nobody can be told apart alternates from
    the nearest newer turn that can (the oldest is the customer when none can)."""
    addresses = {
        " ".join(turn.name.split()).casefold(): turn.address for turn in turns if turn.name and turn.address
    }
    for turn in turns:
        if not turn.address and turn.name:
            turn.address = addresses.get(" ".join(turn.name.split()).casefold(), "")

    def identity(turn: _Turn) -> str:
        return turn.address or " ".join(turn.name.split()).casefold()

    first = next((turn for turn in turns if not turn.quoted), turns[0] if turns else None)
    customer = identity(first) if first is not None else ""
    for turn in turns:
        if agent_domains and turn.address:
            turn.speaker, turn.known = (
                ("agent" if _domain_is_agent(turn.address, agent_domains) else "customer"),
                True,
            )
        elif not agent_domains and customer and identity(turn):
            turn.speaker, turn.known = ("customer" if identity(turn) == customer else "agent"), True
    known = [index for index, turn in enumerate(turns) if turn.known]
    for index, turn in enumerate(turns):
        if turn.known:
            continue
        newer = next((other for other in known if other > index), None)
        if newer is not None:
            turn.speaker = turns[newer].speaker if (newer - index) % 2 == 0 else _flip(turns[newer].speaker)
        else:
            older = max((other for other in known if other < index), default=None)
            anchor: Speaker = turns[older].speaker if older is not None else "customer"
            distance = index - (older if older is not None else 0)
            turn.speaker = anchor if distance % 2 == 0 else _flip(anchor)
    for index, turn in enumerate(turns):
        if turn.auto_reply and index > 0:
            turn.speaker = "bot"


class _Threads:
    """Union-find over messages and the Message-IDs they name."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, first: str, second: str) -> None:
        self.parent[self.find(first)] = self.find(second)


def _chronological(mails: list[_Mail]) -> list[_Mail]:
    """By date when every message has one, else in the order of the file."""
    if all(mail.date is not None for mail in mails):
        return sorted(mails, key=lambda mail: (mail.date or _EPOCH, mail.position))
    return sorted(mails, key=lambda mail: mail.position)


def _group(mails: list[_Mail]) -> list[list[_Mail]]:
    """Threads: messages linked by their Message-ID, References and In-Reply-To.

    A message without In-Reply-To or References that is a reply (``Re:``…) or has no Message-ID joins
    the latest thread of its subject, when its sender already wrote in that thread or it is addressed
    to the thread's first sender (so that another customer's "Re: Remboursement" stays apart).
    """
    threads = _Threads()
    for mail in mails:
        node = f"mail:{mail.position}"
        threads.find(node)
        for identifier in ([mail.message_id] if mail.message_id else []) + mail.parents:
            threads.union(node, f"id:{identifier}")
    ordered = _chronological(mails)
    senders: dict[str, set[str]] = {}
    first_sender: dict[str, str] = {}
    for mail in ordered:
        root = threads.find(f"mail:{mail.position}")
        senders.setdefault(root, set()).add(mail.address)
        first_sender.setdefault(root, mail.address)
    by_subject: dict[str, str] = {}
    for mail in ordered:
        node = f"mail:{mail.position}"
        key = subject_key(mail.subject)
        if not key:
            continue
        is_reply = bool(_REPLY_PREFIX.match(mail.subject))
        target = threads.find(by_subject[key]) if key in by_subject else None
        own = threads.find(node)
        if target is not None and target != own and not mail.parents and (is_reply or not mail.message_id):
            known = not mail.address or mail.address in senders[target]
            if known or first_sender[target] in mail.recipients:
                threads.union(own, target)
                senders[target] |= senders.pop(own)
                first_sender.pop(own)
        by_subject[key] = threads.find(node)
    groups: dict[str, list[_Mail]] = {}
    for mail in mails:
        groups.setdefault(threads.find(f"mail:{mail.position}"), []).append(mail)
    return sorted(groups.values(), key=lambda group: min(mail.position for mail in group))


def _conversation_id(thread: list[_Mail], turns: list[_Turn]) -> str:
    for mail in thread:
        if mail.parents:
            return mail.parents[0]
        if mail.message_id:
            return mail.message_id
    first = thread[0]
    seed = "\x1f".join(
        [subject_key(first.subject), first.address, first.name, turns[0].text if turns else ""]
    )
    return "email-" + hashlib.sha256(seed.encode("utf-8", errors="replace")).hexdigest()[:16]


def _thread_items(thread: list[_Mail], agent_domains: tuple[str, ...]) -> Iterator[Conversation | Rejected]:
    turns: list[_Turn] = []
    for order, mail in enumerate(thread):
        if order == 0:
            text, earlier = _history(mail.body, mail)
            turns.extend(earlier)
        else:
            text = _clean(mail.body, mail.name)[0]
            earlier = []
        if text or mail.attachment:  # a photo sent alone is a turn without a word, as in JSONL
            turns.append(_Turn(mail.name, mail.address, mail.date, text, auto_reply=mail.auto_reply))
        elif not earlier:
            yield Rejected(mail.position, message("email_no_text"))
    if not turns:
        return
    _assign_speakers(turns, agent_domains)
    conversation_turns: list[dict[str, str]] = []
    for turn in turns:
        item = {"speaker": turn.speaker, "text": turn.text}
        if turn.when is not None:
            item["ts"] = _iso(turn.when)
        conversation_turns.append(item)
    yield {
        "id": _conversation_id(thread, turns),
        "channel": "email",
        "turns": conversation_turns,
        "metadata": {"subject": display_subject(thread[0].subject)},
    }


def _raw_messages(path: Path) -> Iterator[bytes]:
    suffix = path.suffix.lower()
    with path.open("rb") as stream:
        if suffix in (".mbox", ".mbx") or (suffix != ".eml" and _FROM_LINE.match(stream.readline())):
            stream.seek(0)
            yield from _mbox_entries(stream)
        else:
            stream.seek(0)
            yield stream.read()


def read_email(path: Path | str, *, agent_domains: Iterable[str] = ()) -> Iterator[Conversation | Rejected]:
    """The conversations of an e-mail file (``.eml``: one message; ``.mbox``: many), one a thread, and the
    messages that could not be used as ``Rejected(position, reason)`` (1-based message number).

    A conversation: ``{"id", "channel": "email", "turns": [{"speaker", "text", "ts"?}], "metadata":
    {"subject"}}``; ``id`` is the thread's first Message-ID (or a hash of its first message), turns are
    in date order (``ts`` in ISO 8601 UTC), the earlier messages quoted by the thread's first message
    come first. A sender whose domain (or a subdomain of it) is in ``agent_domains`` is an agent, any
    other a customer; without agent domains, the sender of the thread's first message in the file (not
    one of the earlier messages its quotes give back) is the customer and any other sender an agent.
    An automatic reply (``Auto-Submitted: auto-replied``) is the ``bot``.
    A turn's text is ``clean_body``'s, less what the sender's name tells: that name on the last line,
    and a ``Thanks,``/``Merci,`` followed by a name block holding it; a message with no text but an
    attachment (a photo sent alone) is a turn with empty text. A thread whose messages do not all
    have a readable ``Date`` keeps the order of the file.

    Items come in the order of the file (a thread where its first message is). The file itself must be
    readable (``OSError`` otherwise).
    """
    domains = tuple(domain.strip().lstrip("@").lower() for domain in agent_domains if domain.strip())
    items: list[tuple[int, int, Conversation | Rejected]] = []
    mails: list[_Mail] = []
    first_of: dict[str, int] = {}
    for position, raw in enumerate(_raw_messages(Path(path)), start=1):
        read = _read_message(position, raw)
        if isinstance(read, Rejected):
            items.append((position, 0, read))
        elif read.message_id in first_of:
            duplicate = message("email_duplicate", first=first_of[read.message_id])
            items.append((position, 0, Rejected(position, duplicate)))
        else:
            if read.message_id:
                first_of[read.message_id] = position
            mails.append(read)
    for thread in _group(mails):
        start = min(mail.position for mail in thread)
        for item in _thread_items(_chronological(thread), domains):
            if isinstance(item, Rejected):
                items.append((item.line, 0, item))
            else:
                items.append((start, 1, item))
    items.sort(key=lambda entry: (entry[0], entry[1]))
    for _, _, item in items:
        yield item
