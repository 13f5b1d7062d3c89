"""The pages in a real browser (Debian's Chromium driven by Playwright) against a real ``ressenti serve``.

Each test drives the pages as a person would and checks what could break: live events reaching the
right panel, cues highlighted at the right place, text never run as markup, every asset served by the
app itself, both languages.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.live_server import Server

sync_api = pytest.importorskip("playwright.sync_api")
Browser = sync_api.Browser
Page = sync_api.Page
expect = sync_api.expect

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

AGENT = "camille@maison-lumen.fr"
SUPERVISOR = "sophie@maison-lumen.fr"
AGENT_EN = "sam@maison-lumen.example"
WAIT_MS = 5_000
EMOTION_FR = {
    "anger": "colère",
    "frustration": "agacement",
    "anxiety": "inquiétude",
    "confusion": "incompréhension",
    "sadness": "déception",
    "satisfaction": "satisfaction",
    "gratitude": "reconnaissance",
    "neutral": "neutre",
}
EMOTION_EN = {key: key for key in EMOTION_FR}
ANGRY_FR = "Toujours pas reçu ma commande !!! 😡 Je vais résilier."

expect.set_options(timeout=WAIT_MS)


@dataclass
class ApiClient:
    """Another client of the same server (an integration, a second tab): plain HTTP, its own session."""

    base: str
    token: str
    me: dict[str, Any] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str) -> Any:
        answer = httpx.get(self.base + "/api/v1" + path, headers=self.headers, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def post(self, path: str, body: dict[str, Any] | None = None, expected: int = 201) -> Any:
        answer = httpx.post(self.base + "/api/v1" + path, json=body or {}, headers=self.headers, timeout=30)
        assert answer.status_code == expected, answer.text
        return answer.json()

    def open_conversation(self, channel: str = "chat") -> dict[str, Any]:
        """A fresh conversation of the agent's team, assigned to this agent."""
        reference = f"web-{uuid.uuid4().hex[:10]}"
        return self.post(
            "/conversations",
            {
                "channel": channel,
                "external_id": reference,
                "team_id": self.me["teams"][0]["id"],
                "agent_id": self.me["id"],
                "customer": {"external_id": f"cust-{reference}", "name": "Client test"},
            },
        )

    def say(self, conversation_id: int, text: str, author: str = "customer") -> dict[str, Any]:
        return self.post(f"/conversations/{conversation_id}/messages", {"author": author, "text": text})


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def api_as(live_server: Server) -> Callable[[str], ApiClient]:
    def login(email: str) -> ApiClient:
        answer = httpx.post(
            live_server.url + "/api/v1/auth/login",
            json={"organisation": live_server.org, "email": email, "password": live_server.password},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        client = ApiClient(live_server.url, answer.json()["token"])
        client.me = client.get("/me")
        return client

    return login


@pytest.fixture
def page_for(browser: Browser, live_server: Server) -> Iterator[Callable[..., Page]]:
    """A new browser context per person, signed in through the login page."""
    contexts = []

    def open_page(email: str, then: str = "", record: list[str] | None = None) -> Page:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        contexts.append(context)
        page = context.new_page()
        if record is not None:
            page.on("request", lambda request: record.append(request.url))
            page.on("websocket", lambda socket: record.append(socket.url))
        sign_in(page, live_server, email)
        if then:
            page.goto(live_server.url + then)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Page, server: Server, email: str, password: str | None = None) -> None:
    page.goto(server.url + "/login")
    page.get_by_label("Organisation").fill(server.org)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password or server.password)
    page.locator("#login-submit").click()
    if password is None:
        page.wait_for_url(re.compile(r"/(agent|board)$"), timeout=WAIT_MS)


def live_on(page: Page, channel: str) -> None:
    """Wait until the server confirmed the page's subscription to ``channel``."""
    expect(page.locator("html")).to_have_attribute("data-live-channels", _has_word(channel))


def _has_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(word)}(\s|$)")


# --- login and the agent's console ------------------------------------------------------------------


def test_agent_signs_in_lands_on_console_and_sees_their_conversations(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient], live_server: Server
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    agent.say(opened["id"], ANGRY_FR)
    expected = agent.get("/conversations?status=open&limit=200")["items"]

    page = page_for(AGENT)

    expect(page).to_have_url(live_server.url + "/agent")
    items = page.locator("#conversation-list > li")
    expect(items).to_have_count(len(expected))
    mine = page.locator(f'#conversation-list > li[data-conversation-id="{opened["id"]}"]')
    expect(mine).to_contain_text(f"n° {opened['id']}")
    expect(mine.locator(".emotion-name")).to_have_text("colère")
    expect(mine.locator(".emoticon svg.face-1")).to_have_count(1)  # 😡, the first step of the scale


def test_wrong_password_is_refused_with_a_clear_message_in_french_then_english(
    browser: Browser, live_server: Server
) -> None:
    context = browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, live_server, AGENT, password="not-the-password")
        error = page.get_by_role("alert")
        expect(error).to_have_text("Organisation, adresse e-mail ou mot de passe incorrect.")
        expect(page).to_have_url(live_server.url + "/login")
        page.get_by_role("button", name="English").click()
        expect(error).to_have_text("Wrong organisation, e-mail address or password.")
        assert page.evaluate("sessionStorage.getItem('ressenti.token')") is None
    finally:
        context.close()


def test_customer_message_appears_live_with_its_emotion_and_highlighted_cue(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient]
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    page = page_for(AGENT, then=f"/agent#conversation-{opened['id']}")
    live_on(page, f"conversation:{opened['id']}")
    expect(page.locator("#thread")).to_contain_text("Aucun message")

    integration = api_as(AGENT)  # another client, its own session: the page learns of it only live
    answer = integration.say(opened["id"], ANGRY_FR)

    reading = answer["reading"]
    message = page.locator(f'#thread li[data-seq="{answer["message"]["seq"]}"]')
    expect(message).to_be_visible()
    expect(message.locator(".reading .emotion-name")).to_have_text(EMOTION_FR[reading["emotion"]])
    expect(message.locator(".reading .signals")).to_contain_text("menace de résiliation")
    # The churn cue comes after an emoji (one code point, two UTF-16 units): the highlight must still
    # cover exactly its words, not one character off.
    churn = next(c for c in reading["cues"] if c.get("note") == "churn_threat")
    assert not any(
        c is not churn and c["start"] < churn["end"] and churn["start"] < c["end"] for c in reading["cues"]
    ), "the test needs a cue that no other cue overlaps"
    mark = message.locator("mark.cue", has_text=churn["text"])
    expect(mark).to_have_count(1)
    expect(mark).to_have_text(churn["text"])
    expect(mark).to_have_attribute("title", _contains("menace de résiliation"))
    # …and the list shows the conversation's new temperature, without a reload.
    row = page.locator(f'#conversation-list > li[data-conversation-id="{opened["id"]}"]')
    expect(row.locator(".emotion-name")).to_have_text(EMOTION_FR[reading["emotion"]])


def test_console_reconnects_resubscribes_and_catches_up_after_the_socket_drops(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient], live_server: Server
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    page = page_for(AGENT)
    sockets: list[Any] = []

    def relay(socket: Any) -> None:  # pass frames through, and keep a handle to cut the line
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/api/v1/live"), relay)
    page.goto(f"{live_server.url}/agent#conversation-{opened['id']}")
    page.reload()
    live_on(page, f"conversation:{opened['id']}")
    opened_sockets = len(
        sockets
    )  # the page's socket is the last (the one before the reload may be there too)

    sockets[-1].close(code=1012, reason="server restart")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "reconnecting")
    missed = agent.say(opened["id"], ANGRY_FR)  # sent while the page has no socket

    expect(page.locator(f'#thread li[data-seq="{missed["message"]["seq"]}"]')).to_be_visible()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
    live_on(page, f"conversation:{opened['id']}")
    assert len(sockets) == opened_sockets + 1  # a new socket, not the old one revived
    after = agent.say(opened["id"], "Et je n'ai toujours aucune réponse à mes mails.")
    expect(page.locator(f'#thread li[data-seq="{after["message"]["seq"]}"]')).to_be_visible()
    expect(page.locator("#thread li.from-customer")).to_have_count(2)


def _contains(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


# --- the supervisor's board ---------------------------------------------------------------------------


def test_board_updates_the_row_and_shows_the_new_alert_live_in_french(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient], live_server: Server
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    calm = agent.say(opened["id"], "Bonjour, je voudrais savoir où en est ma commande, merci.")
    assert not calm["alerts"]
    team = agent.me["teams"][0]["id"]

    board = page_for(SUPERVISOR)
    expect(board).to_have_url(live_server.url + "/board")
    row = board.locator(f'#board-rows tr[data-conversation-id="{opened["id"]}"]')
    expect(row.locator(".emotion-name")).to_have_text(EMOTION_FR[calm["reading"]["emotion"]])
    expect(row).to_contain_text("Camille Laurent")
    live_on(board, f"team:{team}")

    answer = agent.say(opened["id"], "C'est inadmissible !!! Je vais résilier mon abonnement 😡")

    expect(row.locator(".emotion-name")).to_have_text(EMOTION_FR[answer["reading"]["emotion"]])
    expect(row.locator("td.num")).to_have_text("2")
    churn = next(a for a in answer["alerts"] if a["kind"] == "churn_threat")
    alert = board.locator(f'#alert-list li[data-alert-id="{churn["id"]}"]')
    expect(alert.locator(".alert-reason")).to_have_text(churn["reasons"]["fr"])
    expect(alert.locator(".alert-reason")).to_contain_text("Menace de résiliation")
    expect(alert).to_contain_text(f"Conversation n° {opened['id']}")

    alert.get_by_role("button", name="Acquitter").click()
    expect(alert).to_have_count(0)
    acknowledged = {a["id"] for a in agent.get("/alerts?status=acknowledged")}
    assert churn["id"] in acknowledged


def test_whisper_from_the_board_reaches_the_agent_private_panel_and_not_the_thread(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient]
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    agent.say(opened["id"], ANGRY_FR)
    note = f"Reconnaissez d'abord son agacement, puis proposez un geste ({uuid.uuid4().hex[:6]})."

    console = page_for(AGENT, then=f"/agent#conversation-{opened['id']}")
    live_on(console, f"conversation:{opened['id']}")
    expect(console.locator("#thread li.from-customer")).to_have_count(1)

    board = page_for(SUPERVISOR)
    row = board.locator(f'#board-rows tr[data-conversation-id="{opened["id"]}"]')
    row.get_by_role("button").click()
    expect(board.locator("#whisper-target")).to_contain_text("Camille Laurent")
    expect(board.locator("#whisper-box")).to_contain_text("Le client ne voit jamais cette note")
    board.get_by_label("Votre note").fill(note)
    board.get_by_role("button", name="Envoyer la note").click()
    expect(board.locator("#whisper-status")).to_contain_text("Note envoyée à Camille Laurent")

    panel = console.locator("#whisper-list")
    expect(panel).to_contain_text(note)
    expect(console.locator("#whispers")).to_contain_text("Note de votre superviseur")
    expect(console.locator("#thread")).not_to_contain_text(note)
    expect(console.locator("#thread > li")).to_have_count(1)
    assert all(note not in m["text"] for m in agent.get(f"/conversations/{opened['id']}/messages"))


# --- languages, origin, markup -------------------------------------------------------------------------


def test_switching_to_english_changes_the_labels_and_an_english_user_starts_in_english(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient]
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    agent.say(opened["id"], ANGRY_FR)
    page = page_for(AGENT, then=f"/agent#conversation-{opened['id']}")
    reading = page.locator("#thread .reading .emotion-name").first
    expect(page.locator("#conversations-title")).to_have_text("Conversations en cours")
    expect(page.locator("#logout")).to_have_text("Se déconnecter")
    expect(reading).to_have_text("colère")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#conversations-title")).to_have_text("Open conversations")
    expect(page.locator("#logout")).to_have_text("Log out")
    expect(page.locator("#whispers-title")).to_have_text("Note from your supervisor")
    expect(reading).to_have_text(EMOTION_EN["anger"])
    expect(page).to_have_title("Agent console — Ressenti")
    page.reload()  # the choice holds for the tab
    expect(page.locator("#logout")).to_have_text("Log out")

    english = page_for(AGENT_EN)
    expect(english.locator(".topbar-title")).to_have_text("Agent console")
    expect(english.locator("#reply-send")).to_have_text("Send the reply")


def test_the_services_refusals_come_in_the_pages_language(page_for: Callable[..., Page]) -> None:
    """The pages' client asks for its own language: a refusal the page shows as it comes ("La demande a
    échoué (404) : …") used to end in English words."""
    page = page_for(AGENT)
    ask = """async () => {
        const { api } = await import("/static/common.js");
        try { await api("/conversations/987654321"); } catch (error) { return error.detail; }
    }"""
    assert page.evaluate(ask) == "conversation 987654321 introuvable"
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.evaluate(ask) == "conversation 987654321 not found"


def test_the_report_of_an_e_mail_answered_last_by_the_agent_says_it_awaits_the_customer(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient]
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation("email")
    agent.say(opened["id"], ANGRY_FR)
    agent.say(
        opened["id"],
        "Je comprends votre colère et je vous prie de nous excuser. Je vous envoie un colis de "
        "remplacement aujourd'hui, vous le recevrez jeudi.",
        author="agent",
    )
    page = page_for(AGENT, then=f"/agent#conversation-{opened['id']}")
    expect(page.locator("#thread > li.from-customer").first).to_be_visible()
    page.locator("#report-open").click()
    expect(page.locator("#report-body .badges")).to_contain_text("Réponse en attente du client")
    expect(page.locator("#report-body .arc")).to_contain_text("au dernier message du client")


def test_pages_load_nothing_from_another_origin(page_for: Callable[..., Page], live_server: Server) -> None:
    seen: list[str] = []
    page = page_for(AGENT, record=seen)
    page.locator(".conversation-item:has(.emotion-name)").first.click()
    expect(page.locator("#thread > li.from-customer").first).to_be_visible()
    page.locator("#report-open").click()
    expect(page.locator("#report-body h3").first).to_be_visible()
    expect(page.locator("#live-status")).to_have_attribute("data-state", "connected")
    board = page_for(SUPERVISOR, record=seen)
    expect(board.locator("#board-rows tr").first).to_be_visible()
    expect(board.locator("#live-status")).to_have_attribute("data-state", "connected")

    own = (live_server.url + "/", live_server.url.replace("http://", "ws://", 1) + "/")
    assert any(url.endswith("/static/app.css") for url in seen)
    assert any(url.startswith(own[1]) for url in seen)  # the live socket was recorded too
    strangers = [url for url in seen if not url.startswith(own)]
    assert strangers == []


def test_the_api_documentation_page_renders_from_the_apps_own_assets(
    browser: Browser, live_server: Server
) -> None:
    """/docs loaded Swagger UI from cdn.jsdelivr.net: blank offline, and a third party told of every
    reader. Its assets now come with the app, and the page renders the operations."""
    context = browser.new_context()
    seen: list[str] = []
    page = context.new_page()
    page.on("request", lambda request: seen.append(request.url))
    try:
        page.goto(live_server.url + "/docs")
        expect(page.locator("#swagger-ui .opblock").first).to_be_visible(timeout=WAIT_MS)
    finally:
        context.close()
    assert any("/static/api-docs/" in url for url in seen)
    assert [url for url in seen if not url.startswith(live_server.url + "/")] == []


def test_markup_in_a_message_is_shown_as_text_and_never_run(
    page_for: Callable[..., Page], api_as: Callable[[str], ApiClient]
) -> None:
    agent = api_as(AGENT)
    opened = agent.open_conversation()
    stored = "<img src=x onerror=alert(1)> où est ma commande ?"
    agent.say(opened["id"], stored)
    page = page_for(AGENT, then=f"/agent#conversation-{opened['id']}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    live_on(page, f"conversation:{opened['id']}")

    live = "<b>gras</b><img src=x onerror=\"document.title='pwned'\"> Vous êtes nuls !!!"
    agent.say(opened["id"], live)

    thread = page.locator("#thread")
    expect(thread.locator("li.from-customer")).to_have_count(2)
    expect(thread).to_contain_text("<img src=x onerror=alert(1)>")
    expect(thread).to_contain_text("<b>gras</b>")
    expect(thread.locator("img, b, script")).to_have_count(0)
    assert dialogs == []
    assert page.title() != "pwned"
