"""Reading e-mail threads (.eml, .mbox) as conversations: threads grouped, quotes and signatures removed,
speakers told apart, the history a lone .eml quotes recovered, and bad messages reported with their
position while the reading goes on."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from ressenti.batch import email_threads
from ressenti.batch.email_threads import clean_body, html_to_text, read_email
from ressenti.batch.records import Rejected

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
BOUTIQUE = "exemple-boutique.fr"
TELECOM = "example-telecom.co.uk"


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "en")


def mail(
    body: str | bytes = "Bonjour,\n\nMa commande n'est toujours pas arrivée.\n",
    *,
    sender: str = "Jean Dupont <jean.dupont@example.net>",
    to: str = "Service client <support@exemple-boutique.fr>",
    subject: str = "Commande EB-1",
    date: str | None = "Mon, 02 Nov 2026 10:00:00 +0100",
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    content_type: str = 'text/plain; charset="utf-8"',
    headers: tuple[str, ...] = (),
) -> bytes:
    """One raw message; the body is UTF-8 unless given as bytes."""
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"]
    if date is not None:
        lines.append(f"Date: {date}")
    if message_id is not None:
        lines.append(f"Message-ID: <{message_id}>")
    if in_reply_to is not None:
        lines.append(f"In-Reply-To: <{in_reply_to}>")
    if references is not None:
        lines.append(f"References: {references}")
    lines += [
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}",
        "Content-Transfer-Encoding: 8bit",
        *headers,
    ]
    raw_body = body if isinstance(body, bytes) else body.encode("utf-8")
    return "\n".join(lines).encode("utf-8") + b"\n\n" + raw_body


def mbox(*messages: bytes) -> bytes:
    return b"".join(
        b"From someone@example.net Mon Nov  2 10:00:00 2026\n" + item + b"\n\n" for item in messages
    )


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def conversations(items: list[dict[str, Any] | Rejected]) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)]


def rejected(items: list[dict[str, Any] | Rejected]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


def speakers(conversation: dict[str, Any]) -> list[str]:
    return [turn["speaker"] for turn in conversation["turns"]]


def texts(conversation: dict[str, Any]) -> list[str]:
    return [turn["text"] for turn in conversation["turns"]]


# --- the example files ---------------------------------------------------------------------------


@pytest.mark.parametrize("domains", [(BOUTIQUE,), ()], ids=["agent-domain", "first-sender-is-customer"])
def test_a_lone_eml_gives_back_the_whole_thread_it_quotes(domains: tuple[str, ...]) -> None:
    """thread.eml is the customer's 3rd message; it quotes 4 earlier messages, nested. All five come
    back, oldest first, each cleaned, the speakers alternating as they wrote (by the agent domain, or
    because the thread's first sender is the customer)."""
    items = list(read_email(EXAMPLES / "thread.eml", agent_domains=domains))
    assert rejected(items) == []
    [conversation] = conversations(items)
    assert conversation["id"] == "3A91F2C4-88B0-4E5D-A1C7-0B6D2E9F4A11@example.net"  # the thread's root
    assert conversation["channel"] == "email"
    assert conversation["metadata"] == {"subject": "Commande EB-20931 - plateau manquant"}
    assert speakers(conversation) == ["customer", "agent", "customer", "agent", "customer"]
    # quoted dates are read in the zone of the quoting message (+0100), then written in UTC
    assert [turn["ts"] for turn in conversation["turns"]] == [
        "2026-11-01T18:48:00Z",
        "2026-11-02T09:12:00Z",
        "2026-11-02T17:05:00Z",
        "2026-11-03T08:30:00Z",
        "2026-11-09T07:14:37Z",
    ]
    first, reply, photos, shipped, last = texts(conversation)
    assert first.startswith("Bonjour,\n\nJ'ai reçu hier ma commande EB-20931")
    assert first.endswith("On reçoit de la famille le week-end du 14.")
    assert reply.startswith("Bonjour Monsieur Dupont,\n\nMerci pour votre message")
    assert reply.endswith("nous vous expédions le plateau manquant.")
    assert photos == (
        'Voici les photos. Comme vous le verrez, l\'étiquette indique bien "colis 1/2".\n\n'
        "Merci de faire vite s'il vous plaît."
    )
    assert shipped.endswith("Nous restons à votre disposition.")
    assert last.startswith("Bonjour,\n\nJe reviens ENCORE vers vous.")
    assert last.endswith("je laisse un avis détaillé sur votre site et ailleurs.")
    for text in texts(conversation):
        for leftover in ("a écrit", ">", "Cordialement", "Jean Dupont", "iPhone", "06 39 98", "Sandrine"):
            assert leftover not in text


@pytest.mark.parametrize(
    "domains", [(BOUTIQUE, TELECOM), ()], ids=["agent-domains", "first-sender-is-customer"]
)
def test_the_mbox_example_gives_two_threads_in_date_order(domains: tuple[str, ...]) -> None:
    items = list(read_email(EXAMPLES / "threads.mbox", agent_domains=domains))
    assert rejected(items) == []
    refund, telecom = conversations(items)

    assert refund["id"] == "a7f3c2e9-1b44-4d0e-9c6a-3e2f81d5b907@example.org"
    assert refund["metadata"] == {"subject": "Remboursement commande EB-41877"}
    assert speakers(refund) == ["customer", "agent"]
    assert [turn["ts"] for turn in refund["turns"]] == ["2026-11-02T19:41:09Z", "2026-11-03T09:12:47Z"]
    question, answer = texts(refund)
    assert question.endswith("Merci de me dire quand je serai remboursée.")  # "-- Claire Martin" gone
    assert answer.startswith("Bonjour Madame Martin,\n\nJe comprends votre agacement")
    assert answer.endswith("Je reviens vers vous vendredi pour m'assurer que tout est en ordre.")
    assert "J'ai retourné le 9 octobre" not in answer  # the quote of the customer's message

    assert telecom["id"] == "DB7PR04MB5124A1C93E0F7B2D@example.com"
    assert telecom["metadata"] == {"subject": "Still being charged for Sports Extra"}
    assert speakers(telecom) == ["customer", "agent", "customer"]
    assert [turn["ts"] for turn in telecom["turns"]] == [
        "2026-11-09T08:55:31Z",
        "2026-11-10T14:03:12Z",
        "2026-11-11T07:48:55Z",
    ]
    complaint, reply, follow_up = texts(telecom)
    assert complaint.startswith("Hello,\n\nI cancelled my Sports Extra add-on")
    assert complaint.endswith(
        "confirm the add-on is actually off my account this time."
    )  # "Thanks, Mark…" gone
    assert reply.startswith("Dear Mr Ellison,")
    assert reply.endswith("please visit our Help Centre.")  # "Kind regards, Ryan…" and the quote gone
    assert follow_up.startswith("Ryan,\n\nYou haven't answered my question.")
    assert follow_up.endswith("taking this to the ombudsman.")  # name, phone and the Outlook quote gone
    assert "Original Message" not in follow_up
    assert "Dear Mr Ellison" not in follow_up


# --- clean_body ----------------------------------------------------------------------------------

OUTLOOK_FR = """Bonjour,

Toujours rien reçu, je suis très déçue.

De : Service client <support@exemple-boutique.fr>
Envoyé : mardi 3 novembre 2026 09:30
À : Claire Martin <claire@example.org>
Objet : RE: Commande

Bonjour Madame, votre colis part demain.
"""
OUTLOOK_EN = """Hi,

Still nothing, I'm very disappointed.

________________________________
From: Support <help@example-telecom.co.uk>
Sent: Tuesday, November 10, 2026 2:03 PM
To: Mark <mark@example.com>
Subject: RE: Refund

Dear Mark, your refund is on its way.
"""
ORIGINAL_FR = """Bonjour,

Toujours rien reçu, je suis très déçue.

-----Message d'origine-----
De : Service client [mailto:support@exemple-boutique.fr]
Envoyé : mardi 3 novembre 2026 09:30
Objet : RE: Commande

Bonjour Madame, votre colis part demain.
"""
ORIGINAL_EN = """Hi,

Still nothing, I'm very disappointed.

-----Original Message-----
From: Support <help@example-telecom.co.uk>
Sent: Tuesday, November 10, 2026 2:03 PM

Dear Mark, your refund is on its way.
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (OUTLOOK_FR, "Bonjour,\n\nToujours rien reçu, je suis très déçue."),
        (OUTLOOK_EN, "Hi,\n\nStill nothing, I'm very disappointed."),
        (ORIGINAL_FR, "Bonjour,\n\nToujours rien reçu, je suis très déçue."),
        (ORIGINAL_EN, "Hi,\n\nStill nothing, I'm very disappointed."),
    ],
    ids=["outlook-fr", "outlook-en", "message-d-origine", "original-message"],
)
def test_outlook_quotes_are_removed_with_everything_after_them(body: str, expected: str) -> None:
    assert clean_body(body) == expected


@pytest.mark.parametrize(
    "attribution",
    [
        "Le mar. 3 nov. 2026 à 09:30, Service client <support@exemple-boutique.fr> a écrit :",
        "Le 3 nov. 2026 à 09:30, Service client <support@exemple-boutique.fr> a\u00a0écrit\u00a0:",
        "Le 03/11/2026 à 09:30, Service client a écrit :",
        "On Tue, 3 Nov 2026 at 09:30, Support <help@example-telecom.co.uk> wrote:",
        "On Nov 3, 2026, at 9:30 AM, Support <help@example-telecom.co.uk> wrote:",
        "Le mar. 3 nov. 2026 à 09:30, Service client Exemple Boutique <support@exemple-\n"
        "boutique.fr> a écrit :",
    ],
    ids=["gmail-fr", "apple-fr-nbsp", "thunderbird-fr", "gmail-en", "apple-en", "wrapped-over-two-lines"],
)
def test_attribution_lines_and_their_quotes_are_removed(attribution: str) -> None:
    body = f"Bonjour,\n\nJe suis furieux.\n\n{attribution}\n> Votre colis part demain.\n>\n> Cordialement\n"
    assert clean_body(body) == "Bonjour,\n\nJe suis furieux."


def test_an_attribution_without_quote_marks_still_ends_the_message() -> None:
    body = (
        "Merci, c'est réglé.\n\n"
        "Le 3 nov. 2026 à 09:30, Service client <support@exemple-boutique.fr> a écrit :\n"
        "Bonjour, votre colis part demain.\n"
    )
    assert clean_body(body) == "Merci, c'est réglé."


def test_a_customer_quoting_someone_in_prose_is_not_an_attribution() -> None:
    """No address, no date: "Le livreur a écrit :" is the customer's own text, kept whole."""
    body = "Bonjour,\n\nLe livreur a écrit :\n« colis livré »\nOr je n'ai rien reçu !\n"
    assert clean_body(body) == "Bonjour,\n\nLe livreur a écrit :\n« colis livré »\nOr je n'ai rien reçu !"


def test_text_after_a_quote_is_kept_bottom_posting() -> None:
    body = (
        "On Tue, 3 Nov 2026 at 09:30, Support <help@example-telecom.co.uk> wrote:\n"
        "> Could you send us a photo?\n\nHere it is. Still broken.\n"
    )
    assert clean_body(body) == "Here it is. Still broken."


def test_quoted_lines_alone_are_removed() -> None:
    assert clean_body("> vous avez dit demain\nC'est faux.\n>> et avant-hier\n") == "C'est faux."


BODY_FR = "Bonjour,\n\nMon colis est arrivé cassé. Je veux un remboursement."
BODY_EN = "Hello,\n\nMy parcel arrived broken. I want a refund."


@pytest.mark.parametrize(
    ("body", "signature"),
    [
        (BODY_FR, "-- \nJean Dupont\n06 12 34 56 78\nhttps://jean.example"),
        (BODY_FR, "--\nJean Dupont"),
        (BODY_FR, "Envoyé depuis mon iPhone"),
        (BODY_FR, "Envoyé de mon appareil Samsung Galaxy"),
        (BODY_EN, "Sent from my iPhone"),
        (BODY_EN, "Sent from my Android device"),
        (BODY_EN, "Get Outlook for iOS"),
        (BODY_FR, "Cordialement,\nJean Dupont\nClient n° 55871"),
        (BODY_FR, "Bien cordialement,\n\nJean Dupont"),
        (BODY_FR, "Bien à vous,\nJean"),
        (BODY_FR, "Cordialement"),
        (BODY_FR, "Cordialement, Jean Dupont"),
        (BODY_EN, "Kind regards,\n\nMark Ellison\nAccount 7730 4418\n+44 7700 900412"),
        (BODY_EN, "Best regards,\nMark"),
        (BODY_FR, "Cordialement,\n\n-- \nJean Dupont\n\nEnvoyé depuis mon iPhone"),
    ],
)
def test_signatures_are_removed_and_the_greeting_and_body_kept(body: str, signature: str) -> None:
    assert clean_body(f"{body}\n\n{signature}\n") == body


def test_a_closing_followed_by_more_than_a_name_block_is_not_a_signature() -> None:
    """ "Cordialement" in the middle, then a real paragraph: nothing is cut."""
    body = (
        "Bonjour,\n\nCordialement, on m'avait promis un rappel.\n"
        "Personne ne m'a rappelé, et je n'ai aucune nouvelle de mon dossier depuis trois semaines.\n"
        "Est-ce que quelqu'un lit ces messages ?"
    )
    assert clean_body(body) == body


def test_a_closing_inside_a_sentence_is_kept() -> None:
    body = "Merci pour votre aide, bien à vous de me répondre vite s'il vous plaît, c'est urgent !"
    assert clean_body(body) == body


def test_crlf_and_no_break_spaces_are_read_as_plain_lines() -> None:
    body = "Bonjour,\r\n\r\nJe suis\u00a0déçu.\r\n\r\n-- \r\nJean\r\n"
    assert clean_body(body) == "Bonjour,\n\nJe suis déçu."


# --- HTML ----------------------------------------------------------------------------------------


def test_html_becomes_text_with_its_quotes_marked() -> None:
    html = (
        "<html><head><style>p {color: red}</style><title>x</title></head><body>"
        "<p>Bonjour,</p><p>Le colis co&ucirc;te 18&nbsp;&euro; de<br>trop.</p>"
        "<script>alert('x')</script>"
        "<blockquote><p>Ancien message</p></blockquote></body></html>"
    )
    assert html_to_text(html) == "Bonjour,\n\nLe colis coûte 18 € de\ntrop.\n\n> Ancien message"


def test_an_html_only_message_is_read_as_text_without_its_quote(tmp_path: Path) -> None:
    html = (
        "<html><body><div>Bonjour,</div><div><br></div>"
        "<div>Je n&#39;ai toujours pas re&ccedil;u mon <b>remboursement</b>.</div>"
        "<div>Cordialement,<br>Claire</div>"
        '<div class="gmail_quote"><div>Le lun. 2 nov. 2026 à 10:00, Service client '
        "&lt;support@exemple-boutique.fr&gt; a écrit&nbsp;:</div>"
        "<blockquote><div>Votre remboursement est en cours.</div></blockquote></div>"
        "</body></html>"
    )
    path = write(tmp_path, "html.eml", mail(html, content_type='text/html; charset="utf-8"'))
    [conversation] = conversations(list(read_email(path, agent_domains=(BOUTIQUE,))))
    assert conversation["turns"][-1]["text"] == "Bonjour,\n\nJe n'ai toujours pas reçu mon remboursement."
    # the quote of the agent's message came back as the earlier turn
    assert conversation["turns"][0] == {
        "speaker": "agent",
        "text": "Votre remboursement est en cours.",
        "ts": "2026-11-02T09:00:00Z",
    }


def test_the_plain_part_is_preferred_and_attachments_are_left_aside(tmp_path: Path) -> None:
    body = (
        "--b1\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Disposition: attachment; filename=notes.txt\n\n"
        "NOT THE BODY\n"
        "--b1\nContent-Type: multipart/alternative; boundary=b2\n\n"
        "--b2\nContent-Type: text/html; charset=utf-8\n\n<p>HTML VERSION</p>\n"
        "--b2\nContent-Type: text/plain; charset=utf-8\n\nLa version texte.\n"
        "--b2--\n--b1--\n"
    )
    path = write(tmp_path, "mixed.eml", mail(body, content_type='multipart/mixed; boundary="b1"'))
    [conversation] = conversations(list(read_email(path)))
    assert texts(conversation) == ["La version texte."]


# --- charsets and headers ------------------------------------------------------------------------


def test_the_declared_charset_decodes_the_body(tmp_path: Path) -> None:
    """Labelled latin-1, written by a Windows mailer: read as Windows-1252 (€ and ’ are not latin-1)."""
    body = "Ma commande de 18 € n’est pas arrivée, c'est inadmissible.".encode("cp1252")
    path = write(tmp_path, "latin.eml", mail(body, content_type='text/plain; charset="iso-8859-1"'))
    [conversation] = conversations(list(read_email(path)))
    assert texts(conversation) == ["Ma commande de 18 € n’est pas arrivée, c'est inadmissible."]


def test_a_body_said_to_be_utf8_that_is_windows_1252_is_read_as_such(tmp_path: Path) -> None:
    # It was read as « D��u par le service. »: French mail mislabelled UTF-8 is nearly always Windows-1252.
    path = write(
        tmp_path,
        "mislabelled.eml",
        mail(b"D\xe9\xe7u par le service.", content_type="text/plain; charset=utf-8"),
    )
    [conversation] = conversations(list(read_email(path)))
    assert texts(conversation) == ["Déçu par le service."]


@pytest.mark.parametrize(
    ("charset", "body"),
    [
        ("x-no-such-charset", "Déçu par le service.".encode() + b" \xff\xfe fin"),
        ("utf-8", "Déçu par le service.".encode() + b" \xff fin"),
    ],
    ids=["unknown-charset", "utf8-with-stray-bytes"],
)
def test_bad_charsets_decode_with_replacement_characters(tmp_path: Path, charset: str, body: bytes) -> None:
    path = write(tmp_path, "bad.eml", mail(body, content_type=f'text/plain; charset="{charset}"'))
    [conversation] = conversations(list(read_email(path)))
    [text] = texts(conversation)
    assert "\ufffd" in text
    assert "par le service." in text


def test_encoded_and_8bit_headers_are_decoded(tmp_path: Path) -> None:
    first = mail(
        subject="=?utf-8?q?R=C3=A9clamation_facture?=", sender="=?utf-8?q?J=C3=A9r=C3=B4me?= <j@x.fr>"
    )
    path = write(tmp_path, "subject.eml", first)
    [conversation] = conversations(list(read_email(path)))
    assert conversation["metadata"] == {"subject": "Réclamation facture"}
    raw = mail(subject="RE: Réclamation été")  # raw UTF-8 bytes in the header
    [conversation] = conversations(list(read_email(write(tmp_path, "raw.eml", raw))))
    assert conversation["metadata"] == {"subject": "Réclamation été"}


# --- bad messages --------------------------------------------------------------------------------


def test_a_message_without_text_is_rejected_with_its_position_and_the_rest_is_read(tmp_path: Path) -> None:
    data = mbox(
        mail("Bonjour, où est mon colis ?", message_id="m1@example.net"),
        mail("", message_id="m2@example.net", subject="Vide"),
        mail("-- \nJean Dupont\n", message_id="m3@example.net", subject="Signature seule"),
        mail("Bonjour, toujours rien.", message_id="m4@example.net", subject="Autre"),
    )
    items = list(read_email(write(tmp_path, "box.mbox", data)))
    assert rejected(items) == [
        Rejected(2, "message without any text (once quotes and signature are removed)"),
        Rejected(3, "message without any text (once quotes and signature are removed)"),
    ]
    assert [texts(conversation) for conversation in conversations(items)] == [
        ["Bonjour, où est mon colis ?"],
        ["Bonjour, toujours rien."],
    ]
    # in the order of the file
    assert [item.line if isinstance(item, Rejected) else item["id"] for item in items] == [
        "m1@example.net",
        2,
        3,
        "m4@example.net",
    ]


def test_a_broken_mbox_entry_is_rejected_and_reading_goes_on(tmp_path: Path) -> None:
    data = (
        mbox(mail("Premier message.", message_id="a@example.net"))
        + b"From broken@example.net Mon Nov  2 11:00:00 2026\nthis is not an e-mail at all\n\n"
        + mbox(mail("Troisième message.", message_id="c@example.net", subject="Autre"))
    )
    items = list(read_email(write(tmp_path, "broken.mbox", data)))
    assert rejected(items) == [Rejected(2, "not an e-mail message: no headers (From, Date, Subject…)")]
    assert [texts(conversation) for conversation in conversations(items)] == [
        ["Premier message."],
        ["Troisième message."],
    ]


def test_an_unreadable_message_is_rejected_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever fails inside one message (here the body reader, made to fail on the second) is reported
    with that message's position."""
    real_body = email_threads._body

    def failing_body(msg: Any) -> str:
        if "boom" in str(msg.get("Subject")):
            raise ValueError("cannot decode")
        return real_body(msg)

    monkeypatch.setattr(email_threads, "_body", failing_body)
    data = mbox(mail("Un.", message_id="1@x.fr"), mail("Deux.", message_id="2@x.fr", subject="boom"))
    items = list(read_email(write(tmp_path, "fail.mbox", data)))
    assert rejected(items) == [Rejected(2, "unreadable message: ValueError: cannot decode")]
    assert [texts(conversation) for conversation in conversations(items)] == [["Un."]]


def test_an_empty_eml_is_rejected(tmp_path: Path) -> None:
    items = list(read_email(write(tmp_path, "empty.eml", b"")))
    assert items == [Rejected(1, "not an e-mail message: no headers (From, Date, Subject…)")]


def test_a_duplicate_message_is_reported_once_and_not_counted_twice(tmp_path: Path) -> None:
    one = mail("Bonjour, où est mon colis ?", message_id="same@example.net")
    items = list(read_email(write(tmp_path, "dup.mbox", mbox(one, one))))
    assert rejected(items) == [Rejected(2, "duplicate message (same Message-ID as message 1)")]
    [conversation] = conversations(items)
    assert texts(conversation) == ["Bonjour, où est mon colis ?"]


def test_reasons_follow_the_user_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    items = list(read_email(write(tmp_path, "empty.eml", mail(""))))
    assert items == [Rejected(1, "message sans texte (une fois retirés citations et signature)")]


# --- threads -------------------------------------------------------------------------------------


def test_messages_are_threaded_by_headers_and_turns_ordered_by_date(tmp_path: Path) -> None:
    """The file holds two threads interleaved and out of date order; each comes back whole, in date
    order, its timestamps in UTC."""
    data = mbox(
        mail(
            "Votre colis part demain.",
            sender="Support <support@exemple-boutique.fr>",
            subject="RE: Colis",
            date="Tue, 03 Nov 2026 11:00:00 +0200",
            message_id="r1@exemple-boutique.fr",
            in_reply_to="q1@example.net",
        ),
        mail(
            "Autre client, autre sujet.",
            sender="Paul <paul@example.com>",
            subject="Facture",
            message_id="p1@x",
        ),
        mail(
            "Où est mon colis ?",
            subject="Colis",
            date="Mon, 02 Nov 2026 08:00:00 +0000",
            message_id="q1@example.net",
        ),
        mail(
            "Toujours rien !",
            subject="Re: RE: Colis",
            date="Wed, 04 Nov 2026 08:00:00 +0000",
            message_id="q2@example.net",
            references="<q1@example.net> <r1@exemple-boutique.fr>",
        ),
    )
    parcel, invoice = conversations(
        list(read_email(write(tmp_path, "two.mbox", data), agent_domains=(BOUTIQUE,)))
    )
    assert parcel["id"] == "q1@example.net"
    assert parcel["metadata"] == {"subject": "Colis"}
    assert parcel["turns"] == [
        {"speaker": "customer", "text": "Où est mon colis ?", "ts": "2026-11-02T08:00:00Z"},
        {"speaker": "agent", "text": "Votre colis part demain.", "ts": "2026-11-03T09:00:00Z"},
        {"speaker": "customer", "text": "Toujours rien !", "ts": "2026-11-04T08:00:00Z"},
    ]
    assert invoice["id"] == "p1@x"
    assert texts(invoice) == ["Autre client, autre sujet."]


def test_without_threading_headers_the_normalised_subject_groups_the_thread(tmp_path: Path) -> None:
    """No Message-ID, In-Reply-To or References: "RE:", "TR : Réf: [Ticket 42] re:" and case or spaces
    do not keep the replies out of the thread; another subject is another thread."""
    customer = "Jean Dupont <jean.dupont@example.net>"
    data = mbox(
        mail("Mon colis est abîmé.", subject="Colis abîmé", date="Mon, 02 Nov 2026 08:00:00 +0000"),
        mail(
            "Nous en sommes désolés.",
            sender="Support <support@exemple-boutique.fr>",
            to=customer,
            subject="RE: Colis abîmé",
            date="Mon, 02 Nov 2026 09:00:00 +0000",
        ),
        mail("Une autre question.", subject="Facture", date="Mon, 02 Nov 2026 09:30:00 +0000"),
        mail(
            "Et maintenant ?",
            subject="TR : Réf: [Ticket 42] re: Colis  ABÎMÉ",
            date="Mon, 02 Nov 2026 10:00:00 +0000",
        ),
    )
    path = write(tmp_path, "subjects.mbox", data)
    damaged, invoice = conversations(list(read_email(path)))
    assert texts(damaged) == ["Mon colis est abîmé.", "Nous en sommes désolés.", "Et maintenant ?"]
    assert speakers(damaged) == ["customer", "agent", "customer"]
    assert damaged["metadata"] == {"subject": "Colis abîmé"}
    assert texts(invoice) == ["Une autre question."]
    # no Message-ID: a hash, the same at each reading
    assert damaged["id"].startswith("email-")
    assert damaged["id"] != invoice["id"]
    assert [item["id"] for item in conversations(list(read_email(path)))] == [damaged["id"], invoice["id"]]


def test_another_customers_reply_on_the_same_subject_stays_apart(tmp_path: Path) -> None:
    """Paul's "Re: Colis abîmé" without threading headers is neither from someone of Jean's thread nor
    addressed to Jean: a thread of its own."""
    data = mbox(
        mail("Mon colis est abîmé.", subject="Colis abîmé", date="Mon, 02 Nov 2026 08:00:00 +0000"),
        mail(
            "Le mien aussi !",
            sender="Paul <paul@example.com>",
            subject="Re: Colis abîmé",
            date="Mon, 02 Nov 2026 09:00:00 +0000",
        ),
    )
    found = conversations(list(read_email(write(tmp_path, "two-customers.mbox", data))))
    assert [texts(conversation) for conversation in found] == [["Mon colis est abîmé."], ["Le mien aussi !"]]


def test_two_new_messages_with_the_same_subject_stay_two_threads(tmp_path: Path) -> None:
    """Each has its own Message-ID and is no reply (no Re:, no In-Reply-To): two customers."""
    data = mbox(
        mail("Où est mon remboursement ?", subject="Remboursement", message_id="a@example.net"),
        mail(
            "Remboursement pas reçu.",
            sender="Paul <paul@example.com>",
            subject="Remboursement",
            message_id="b@x",
        ),
    )
    assert len(conversations(list(read_email(write(tmp_path, "same.mbox", data))))) == 2


def test_agent_domains_include_their_subdomains_and_others_are_customers(tmp_path: Path) -> None:
    data = mbox(
        mail(
            "Bonjour, votre commande est prête.",
            sender="Léa <lea@mail.exemple-boutique.fr>",
            message_id="1@x",
        ),
        mail(
            "Merci, mais elle est incomplète !",
            subject="Re: Commande EB-1",
            message_id="2@x",
            in_reply_to="1@x",
        ),
    )
    [conversation] = conversations(
        list(read_email(write(tmp_path, "sub.mbox", data), agent_domains=(BOUTIQUE,)))
    )
    assert speakers(conversation) == ["agent", "customer"]  # the thread may start with the agent


def test_an_automatic_reply_is_the_bot(tmp_path: Path) -> None:
    data = mbox(
        mail("Où est mon colis ?", message_id="1@x", date="Mon, 02 Nov 2026 08:00:00 +0000"),
        mail(
            "Nous avons bien reçu votre demande.",
            sender="Support <support@exemple-boutique.fr>",
            subject="Re: Commande EB-1",
            message_id="2@x",
            in_reply_to="1@x",
            date="Mon, 02 Nov 2026 08:00:05 +0000",
            headers=("Auto-Submitted: auto-replied",),
        ),
    )
    [conversation] = conversations(list(read_email(write(tmp_path, "auto.mbox", data))))
    assert speakers(conversation) == ["customer", "bot"]


def test_mbox_body_lines_escaped_as_from_are_restored(tmp_path: Path) -> None:
    data = mbox(mail("Bonjour,\n>From the start I said it was broken.\nFrom now on, I want a refund.\n"))
    [conversation] = conversations(list(read_email(write(tmp_path, "esc.mbox", data))))
    assert texts(conversation) == [
        "Bonjour,\nFrom the start I said it was broken.\nFrom now on, I want a refund."
    ]


def test_an_mbox_without_from_lines_is_one_message(tmp_path: Path) -> None:
    path = write(tmp_path, "single.mbox", mail("Bonjour, rien reçu.", message_id="solo@x"))
    assert [item["id"] for item in conversations(list(read_email(path)))] == ["solo@x"]


# --- history quoted by a lone message ------------------------------------------------------------


def test_a_lone_eml_with_an_outlook_quote_recovers_the_earlier_messages(tmp_path: Path) -> None:
    body = (
        "That is not acceptable.\n\nMark\n\n"
        "-----Original Message-----\n"
        "From: Example Telecom Support <help@example-telecom.co.uk>\n"
        "Sent: Tuesday, November 10, 2026 2:03 PM\n"
        "To: Mark Ellison <mark.ellison@example.com>\n"
        "Subject: RE: Charges\n\n"
        "Dear Mr Ellison,\nThe fee stands.\n\nKind regards,\nRyan\n\n"
        "On Mon, 9 Nov 2026 at 08:55, Mark Ellison <mark.ellison@example.com> wrote:\n"
        "> Please remove the fee.\n> Thanks,\n> Mark Ellison\n"
    )
    path = write(
        tmp_path,
        "outlook.eml",
        mail(body, sender="Mark Ellison <mark.ellison@example.com>", date="Wed, 11 Nov 2026 07:48:55 +0000"),
    )
    [conversation] = conversations(list(read_email(path, agent_domains=(TELECOM,))))
    assert conversation["turns"] == [
        {"speaker": "customer", "text": "Please remove the fee.", "ts": "2026-11-09T08:55:00Z"},
        {"speaker": "agent", "text": "Dear Mr Ellison,\nThe fee stands.", "ts": "2026-11-10T14:03:00Z"},
        {"speaker": "customer", "text": "That is not acceptable.", "ts": "2026-11-11T07:48:55Z"},
    ]


def test_quoted_speakers_without_addresses_alternate_from_the_newest(tmp_path: Path) -> None:
    """Attributions name nobody with an address: the quoted messages alternate back from the newest
    message's speaker (an agent here, told by its domain)."""
    body = (
        "Nous avons relancé le transporteur.\n\n"
        "Le 3 nov. 2026 à 10:00, Claire a écrit :\n"
        "> Toujours rien.\n>\n"
        "> Le 2 nov. 2026 à 09:00, Service client a écrit :\n"
        ">> Votre colis est en route.\n>>\n"
        ">> Le 1 nov. 2026 à 08:00, Claire a écrit :\n"
        ">>> Où est mon colis ?\n"
    )
    path = write(tmp_path, "names.eml", mail(body, sender="Support <support@exemple-boutique.fr>"))
    [conversation] = conversations(list(read_email(path, agent_domains=(BOUTIQUE,))))
    assert texts(conversation) == [
        "Où est mon colis ?",
        "Votre colis est en route.",
        "Toujours rien.",
        "Nous avons relancé le transporteur.",
    ]
    assert speakers(conversation) == ["customer", "agent", "customer", "agent"]


def test_a_quoted_sender_known_only_by_name_takes_the_role_of_that_name(tmp_path: Path) -> None:
    """ "Jean Dupont a écrit" names the newest message's sender: he is the customer again, not the
    agent that plain alternation would make him."""
    body = (
        "Je relance encore.\n\n"
        "Le 3 nov. 2026 à 10:00, Jean Dupont a écrit :\n"
        "> Je relance.\n>\n"
        "> Le 2 nov. 2026 à 09:00, Jean Dupont a écrit :\n"
        ">> Où est mon colis ?\n"
    )
    [conversation] = conversations(
        list(read_email(write(tmp_path, "relance.eml", mail(body)), agent_domains=(BOUTIQUE,)))
    )
    assert speakers(conversation) == ["customer", "customer", "customer"]


def test_only_the_first_message_of_a_thread_gives_back_its_quotes(tmp_path: Path) -> None:
    """In a full mbox, a later message quoting earlier ones adds no duplicate turns."""
    first = mail("Où est mon colis ?", message_id="1@x", date="Mon, 02 Nov 2026 08:00:00 +0000")
    second = mail(
        "Toujours rien.\n\nLe 2 nov. 2026 à 08:00, Jean Dupont <jean.dupont@example.net> a écrit :\n"
        "> Où est mon colis ?\n",
        subject="Re: Commande EB-1",
        message_id="2@x",
        in_reply_to="1@x",
        date="Tue, 03 Nov 2026 08:00:00 +0000",
    )
    [conversation] = conversations(list(read_email(write(tmp_path, "full.mbox", mbox(first, second)))))
    assert texts(conversation) == ["Où est mon colis ?", "Toujours rien."]


@pytest.mark.parametrize(
    ("attribution", "ts"),
    [
        ("Le lun. 2 nov. 2026 à 18:05, Claire <claire@example.org> a écrit :", "2026-11-02T17:05:00Z"),
        ("Le 02/11/2026 à 18h05, Claire a écrit :", "2026-11-02T17:05:00Z"),
        ("Le lundi 2 novembre 2026 18:05:00 UTC+02:00, Claire a écrit :", "2026-11-02T16:05:00Z"),
        ("On 11/2/2026 6:05 PM, Claire wrote:", "2026-11-02T17:05:00Z"),
        ("On Nov 2, 2026, at 12:15 AM, Claire <claire@example.org> wrote:", "2026-11-01T23:15:00Z"),
        ("On 2026-11-02 18:05, Claire wrote:", "2026-11-02T17:05:00Z"),
    ],
    ids=["gmail-fr", "thunderbird-fr", "explicit-offset", "us-numeric-pm", "midnight-am", "iso"],
)
def test_quoted_dates_are_read_in_french_and_english(tmp_path: Path, attribution: str, ts: str) -> None:
    """Without a zone in the attribution, the zone of the quoting message (+0100 here) is assumed."""
    body = f"Toujours rien.\n\n{attribution}\n> Où est mon colis ?\n"
    claire = "Claire <claire@example.org>"  # she quotes herself: the customer both times
    path = write(tmp_path, "date.eml", mail(body, sender=claire, date="Tue, 03 Nov 2026 10:00:00 +0100"))
    [conversation] = conversations(list(read_email(path)))
    assert conversation["turns"][0] == {"speaker": "customer", "text": "Où est mon colis ?", "ts": ts}
    assert texts(conversation)[1] == "Toujours rien."


# --- who is the customer when a lone message quotes its history ----------------------------------

ANGRY_EN = "This is useless. I want my money back now."
HAPPY_EN = "Thanks for reaching out, we are happy to help!"


@pytest.mark.parametrize(
    "history",
    [
        f"On Mon, 2 Nov 2026 at 09:00, Help Desk <\nhelp@shop.com> wrote:\n> {HAPPY_EN}\n",
        f"On Mon, 2 Nov 2026 at 09:00, Help Desk <help@shop.com>\nwrote:\n> {HAPPY_EN}\n",
        "-----Original Message-----\nFrom: Help <help@shop.com>\n"
        f"Sent: Monday, November 2, 2026 9:00 AM\nSubject: Refund\n\n{HAPPY_EN}\n",
    ],
    ids=["attribution-wrapped-in-the-address", "attribution-wrapped-before-wrote", "outlook"],
)
def test_the_sender_of_the_real_message_is_the_customer_not_the_quoted_one(
    tmp_path: Path, history: str
) -> None:
    """The quoted agent's message is the oldest turn, but the file's own message decides the roles:
    its sender is the customer (no agent domain given), the one quoted is the agent."""
    body = f"{ANGRY_EN}\n\n{history}"
    path = write(tmp_path, "wrapped.eml", mail(body, sender="Bob <bob@cust.com>", to="Help <help@shop.com>"))
    [conversation] = conversations(list(read_email(path)))
    assert conversation["turns"] == [
        {"speaker": "agent", "text": HAPPY_EN, "ts": "2026-11-02T08:00:00Z"},
        {"speaker": "customer", "text": ANGRY_EN, "ts": "2026-11-02T09:00:00Z"},
    ]


def test_a_french_outlook_block_quotes_the_agent_not_the_customer(tmp_path: Path) -> None:
    body = (
        "Toujours rien. Je vais saisir un avocat.\n\n"
        "De : Support <support@shop.fr>\nEnvoyé : lundi 2 novembre 2026 09:00\nÀ : Alice\nObjet : Facture\n\n"
        "Merci pour votre patience, nous sommes ravis de vous aider !\n"
    )
    path = write(tmp_path, "outlook_fr.eml", mail(body, sender="Alice Martin <alice@client.fr>"))
    [conversation] = conversations(list(read_email(path)))
    assert [(turn["speaker"], turn["text"]) for turn in conversation["turns"]] == [
        ("agent", "Merci pour votre patience, nous sommes ravis de vous aider !"),
        ("customer", "Toujours rien. Je vais saisir un avocat."),
    ]


def test_the_agent_domain_still_decides_when_given(tmp_path: Path) -> None:
    """An agent's lone message quoting the customer: with --agent-domain the agent stays the agent."""
    body = (
        "Nous avons relancé le transporteur.\n\n"
        "Le 2 nov. 2026 à 09:00, Jean <jean@example.net> a écrit :\n> Où est mon colis ?\n"
    )
    path = write(tmp_path, "agent.eml", mail(body, sender="Support <support@exemple-boutique.fr>"))
    [conversation] = conversations(list(read_email(path, agent_domains=(BOUTIQUE,))))
    assert speakers(conversation) == ["customer", "agent"]


@pytest.mark.parametrize(
    ("separator", "subject"),
    [
        ("---------- Forwarded message ---------", "Fwd: Votre commande"),
        ("-------- Message transféré --------", "TR: Votre commande"),
        ("Début du message réexpédié :", "Fwd: Votre commande"),
        ("-----Original Message-----", "TR: Votre commande"),  # Outlook forwards look like its replies
    ],
    ids=["gmail", "thunderbird-fr", "apple-fr", "outlook-by-its-subject"],
)
def test_a_forwarded_message_is_no_turn(tmp_path: Path, separator: str, subject: str) -> None:
    """A customer forwarding the shop's (or anyone's) e-mail: the forwarded text is not a turn of the
    conversation, on either side, and not part of the customer's words either."""
    body = (
        "Regardez ce que j'ai reçu, c'est scandaleux.\n\n"
        f"{separator}\nFrom: Shop <noreply@shop.fr>\nDate: lun. 2 nov. 2026\nSubject: Votre commande\n\n"
        "Merci pour votre commande ! Elle sera livrée demain, nous sommes ravis de vous compter parmi "
        "nos clients.\n"
    )
    path = write(tmp_path, "fwd.eml", mail(body, sender="Alice Martin <alice@client.fr>", subject=subject))
    [conversation] = conversations(list(read_email(path)))
    assert [(turn["speaker"], turn["text"]) for turn in conversation["turns"]] == [
        ("customer", "Regardez ce que j'ai reçu, c'est scandaleux.")
    ]


# --- bodies in base64 ----------------------------------------------------------------------------


def base64_mail(encoded: str, *, message_id: str, subject: str = "Colis") -> bytes:
    return (
        f"From: Alice <alice@client.fr>\nSubject: {subject}\nMessage-ID: <{message_id}>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        f"{encoded}\n"
    ).encode("ascii")


def test_an_invalid_base64_body_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    """Python decodes base64 leniently: the garbage would be read as the customer's words."""
    data = mbox(
        base64_mail("!!!not base64@@@ Qm9uam91cg", message_id="bad@x"),
        base64_mail("Qm9uam91ciwgdG91am91cnMg\ncmllbiByZcOndS4=", message_id="good@x", subject="Autre"),
    )
    items = list(read_email(write(tmp_path, "b64.mbox", data)))
    assert rejected(items) == [Rejected(1, "invalid base64 body")]
    [conversation] = conversations(items)
    assert texts(conversation) == ["Bonjour, toujours rien reçu."]


def test_base64_without_its_final_padding_is_read(tmp_path: Path) -> None:
    items = list(read_email(write(tmp_path, "pad.eml", base64_mail("Qm9uam91cg", message_id="p@x"))))
    assert [texts(conversation) for conversation in conversations(items)] == [["Bonjour"]]


def test_an_invalid_base64_body_is_said_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESSENTI_LANG", "fr")
    items = list(read_email(write(tmp_path, "b64.eml", base64_mail("@@@ Qm9u", message_id="b@x"))))
    assert items == [Rejected(1, "corps base64 illisible")]


# --- a message without a word --------------------------------------------------------------------


def with_attachment(
    body: str, *, message_id: str, sender: str, subject: str, date: str, **headers: str
) -> bytes:
    """A multipart/mixed message: a text part when ``body`` is not empty, and a photo attached."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "Support <support@exemple-boutique.fr>", subject
    msg["Date"], msg["Message-ID"] = date, f"<{message_id}>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    if body:
        msg.set_content(body)
    msg.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="photo.png")
    return bytes(msg)


def test_a_reply_with_only_an_attachment_is_a_turn_without_text(tmp_path: Path) -> None:
    """As in a JSONL conversation, the photo sent alone is the customer's turn, with empty text: nothing
    is skipped, the thread is one conversation."""
    data = mbox(
        mail("Mon colis est arrivé cassé.", message_id="a1@x", date="Mon, 02 Nov 2026 08:00:00 +0100"),
        mail(
            "Pouvez-vous nous envoyer une photo ?",
            sender="Support <support@exemple-boutique.fr>",
            subject="Re: Commande EB-1",
            message_id="a2@x",
            in_reply_to="a1@x",
            date="Mon, 02 Nov 2026 09:00:00 +0100",
        ),
        with_attachment(
            "",
            message_id="a3@x",
            sender="Jean Dupont <jean.dupont@example.net>",
            subject="Re: Commande EB-1",
            date="Mon, 02 Nov 2026 10:00:00 +0100",
            In_Reply_To="<a2@x>",
        ),
    )
    items = list(read_email(write(tmp_path, "photo.mbox", data)))
    assert rejected(items) == []
    [conversation] = conversations(items)
    assert speakers(conversation) == ["customer", "agent", "customer"]
    assert texts(conversation) == ["Mon colis est arrivé cassé.", "Pouvez-vous nous envoyer une photo ?", ""]


def test_a_lone_message_with_only_an_attachment_is_a_conversation(tmp_path: Path) -> None:
    raw = with_attachment(
        "",
        message_id="p@x",
        sender="Alice <alice@client.fr>",
        subject="Photo",
        date="Mon, 02 Nov 2026 08:00:00 +0000",
    )
    items = list(read_email(write(tmp_path, "photo.eml", raw)))
    assert items == [
        {
            "id": "p@x",
            "channel": "email",
            "turns": [{"speaker": "customer", "text": "", "ts": "2026-11-02T08:00:00Z"}],
            "metadata": {"subject": "Photo"},
        }
    ]


# --- sign-offs without "-- " ---------------------------------------------------------------------

LEAK_FR = "Bonjour,\n\nLe lave-linge fuit encore, c'est la troisième fois."
CRASH_EN = "Hello,\n\nThe app crashes every time I log in."


@pytest.mark.parametrize(
    ("body", "signature"),
    [
        (
            LEAK_FR,
            "Cordialement,\nAlice Martin\n06 12 34 56 78\n"
            "Ce message et ses pièces jointes sont confidentiels. "
            "Merci de votre compréhension, excellente journée à vous !",
        ),
        (LEAK_FR, "Merci d'avance,\nAlice Martin"),
        (LEAK_FR, "Merci d'avance.\n\nAlice Martin\nResponsable achats\nBoulangerie Martin SARL"),
        (LEAK_FR, "En vous remerciant par avance,\nA. Martin"),
        (LEAK_FR, "Bonne journée,\nAlice"),
        (LEAK_FR, "Salutations,\nAlice Martin"),
        (LEAK_FR, "Merci\n\nEnvoyé de mon iPhone"),
        (
            LEAK_FR,
            "Bien à vous,\nAlice\n\nAvant d'imprimer ce courriel, pensez à l'environnement.\n"
            "Ce courriel est confidentiel et destiné à son seul destinataire. Si vous l'avez reçu\n"
            "par erreur,\n"
            "merci de le détruire et d'en avertir l'expéditeur.",
        ),
        (
            CRASH_EN,
            "Thanks\n-- \nBob Smith\nSenior Manager | ACME\nThis email and any attachments are confidential. "
            "If you are not the intended recipient, please delete it. We are delighted to serve you.",
        ),
        (CRASH_EN, "Thanks,\nBob\nCEO, ACME Ltd."),
        (CRASH_EN, "Thanks in advance\nBob de la Tour"),
        (CRASH_EN, "Cheers,\nBob"),
        (CRASH_EN, "Regards,\nBob Smith\n+1 555 0100 200"),
        (CRASH_EN, "Thank you\n\nSent from my iPhone"),
        (
            CRASH_EN,
            "This e-mail and any files transmitted with it are confidential and intended solely\n"
            "for the use of\n"
            "the individual to whom they are addressed. Please consider the environment before printing.",
        ),
    ],
    ids=[
        "fr-closing-name-phone-disclaimer",
        "merci-d-avance",
        "merci-d-avance-title-company",
        "en-vous-remerciant-initial",
        "bonne-journee",
        "salutations",
        "merci-then-iphone",
        "fr-disclaimer-environment",
        "en-thanks-dashes-disclaimer",
        "thanks-name-title",
        "thanks-in-advance-particle",
        "cheers",
        "regards-phone",
        "thank-you-then-iphone",
        "en-disclaimer-alone",
    ],
)
def test_a_sign_off_with_only_a_signature_after_it_ends_the_text(body: str, signature: str) -> None:
    """The closing formula, the name, title, phone and a confidentiality disclaimer (whose politeness
    would lift the reading) are not the sender's words; no sender name needs to be known."""
    assert clean_body(f"{body}\n\n{signature}\n") == body


@pytest.mark.parametrize(
    "body",
    [
        "Bonjour,\n\nJe relance.\n\nCordialement,\nJe n'ai toujours rien reçu et personne ne répond.",
        "Hello,\n\nThanks\nBut I still need my refund.",
        "Bonjour,\n\nMerci\nje vous rappelle demain",
        "Bonjour,\n\nCordialement,\nAlice\nPS : je suis vraiment furieuse",
        "Bonjour,\n\nTout fonctionne, merci beaucoup pour votre aide !",
        "Bonjour,\n\nThis message is for your manager.\nI want a refund and an apology",
        "Merci !",
    ],
    ids=[
        "sentence-after-closing",
        "sentence-after-thanks",
        "lower-case-after-merci",
        "ps",
        "thanks-in-a-sentence",
        "this-message-not-a-disclaimer",
        "thanks-alone",
    ],
)
def test_what_follows_a_formula_and_is_no_signature_is_kept(body: str) -> None:
    assert clean_body(body) == body


def test_a_gmail_signature_in_html_is_left_out() -> None:
    html = (
        '<div dir="ltr">The app crashes every time I log in.<br></div><br>'
        '<div class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr">Bob<br>CEO'
        "<div>We are delighted to serve you!</div></div></div>"
        '<div id="Signature"><p>Outlook signature</p></div>'
        '<pre class="moz-signature" cols="72">Thunderbird signature</pre><p>Still broken.</p>'
    )
    assert html_to_text(html) == "The app crashes every time I log in.\n\nStill broken."


def test_a_message_that_is_only_thanks_keeps_its_thanks() -> None:
    """ "Merci !" sent from a phone is the customer's whole message (how the contact ended)."""
    assert clean_body("Merci !\n\nEnvoyé de mon iPhone\n") == "Merci !"
    assert clean_body("Thank you,\nBob\n") == "Thank you,\nBob"
