// The agent's console: the conversations the agent sees, the selected one's messages with the reading
// of each customer message (emoticon, emotion, sentiment, intensity, signals, highlighted cues), a reply
// box, live updates over the socket, the supervisor's private notes, and the conversation report.

import {
  announce,
  api,
  ApiError,
  describeCue,
  el,
  emoticonScale,
  errorText,
  face,
  highlightCues,
  items,
  LiveConnection,
  liveIndicator,
  meterBar,
  say,
  startPage,
  temperature,
  toneOf,
} from "./common.js";
import { formatNumber, formatTime, lang, t, term } from "./i18n.js";

const POLL_MS = 20000; // agents have no team channel: the list of conversations is refreshed this often
const SIGNALS = ["complaint", "churn_threat", "escalation_request", "legal_threat", "public_exposure", "urgency"];

const $ = (id) => document.getElementById(id);
const state = {
  me: null,
  conversations: new Map(),
  selected: null,
  messages: new Map(), // seq -> message (with its reading)
  alerts: new Map(), // id -> alert of the selected conversation
  whispers: [],
  report: null, // {conversationId, data} | {conversationId, error}
  live: null,
};

// --- conversations ---------------------------------------------------------------------------------

async function loadConversations() {
  try {
    const answer = await api("/conversations?status=open&limit=200");
    const fresh = new Map(items(answer).map((c) => [c.id, c]));
    if (state.selected && !fresh.has(state.selected) && state.conversations.has(state.selected)) {
      fresh.set(state.selected, state.conversations.get(state.selected)); // keep the open one on screen
    }
    state.conversations = fresh;
    say($("conversations-error"), "");
    renderConversations();
  } catch (error) {
    say($("conversations-error"), errorText(error), "error");
  }
}

function sortedConversations() {
  return [...state.conversations.values()].sort((a, b) => {
    const left = a.last_message_at || a.opened_at || "";
    const right = b.last_message_at || b.opened_at || "";
    return right.localeCompare(left) || b.id - a.id;
  });
}

function customerRef(conversation) {
  return conversation.external_id || `#${conversation.customer_id ?? conversation.id}`;
}

function renderConversations() {
  const list = $("conversation-list");
  const rows = sortedConversations();
  list.replaceChildren(
    ...rows.map((c) =>
      el(
        "li",
        { dataset: { conversationId: String(c.id) } },
        el(
          "button",
          {
            className: `conversation-item${c.id === state.selected ? " is-selected" : ""}`,
            attrs: { type: "button", "aria-current": c.id === state.selected ? "true" : null },
            on: { click: () => select(c.id) },
          },
          el(
            "span",
            { className: "conversation-line" },
            el("span", { className: "conversation-name", text: t("conversation_label", { id: c.id }) }),
            el("span", { className: "muted small", text: formatTime(c.last_message_at || c.opened_at) }),
          ),
          el(
            "span",
            { className: "conversation-line muted small" },
            el("span", { text: `${customerRef(c)} · ${term("channel", c.channel)}` }),
            c.status === "closed" ? el("span", { className: "badge", text: t("closed_notice") }) : null,
          ),
          temperature(c.temperature),
        ),
      ),
    ),
  );
  $("conversations-empty").hidden = rows.length > 0;
  $("conversations-count").textContent = t("conversations_count", { count: rows.length });
}

// --- the selected conversation -----------------------------------------------------------------------

async function select(id) {
  if (state.selected === id) return;
  if (state.selected) state.live.unsubscribe({ conversation: state.selected });
  state.selected = id;
  state.messages = new Map();
  state.alerts = new Map();
  state.report = null;
  $("report").hidden = true;
  history.replaceState(null, "", `#conversation-${id}`);
  renderConversations();
  renderThreadHead();
  $("thread").replaceChildren(el("li", { className: "muted empty", text: t("loading") }));
  $("composer").hidden = false;
  $("report-open").hidden = false;
  state.live.subscribe({ conversation: id });
  if (!state.conversations.has(id)) {
    try {
      state.conversations.set(id, await api(`/conversations/${id}`));
      renderConversations();
    } catch (error) {
      say($("thread-error"), errorText(error), "error");
    }
  }
  await Promise.all([loadMessages(), loadAlerts()]);
  renderThreadHead();
}

function renderThreadHead() {
  const c = state.conversations.get(state.selected);
  if (!state.selected) {
    $("thread-title").textContent = t("pick_conversation");
    $("thread-meta").textContent = "";
    return;
  }
  $("thread-title").textContent = t("conversation_label", { id: state.selected });
  $("thread-meta").textContent = c
    ? [
        t("customer_label", { ref: customerRef(c) }),
        term("channel", c.channel),
        t("opened_at", { date: formatTime(c.opened_at, true) }),
        c.status === "closed" ? t("closed_notice") : null,
      ]
        .filter(Boolean)
        .join(" · ")
    : "";
  $("composer").hidden = Boolean(c && c.status === "closed");
}

function lastSeq() {
  return state.messages.size ? Math.max(...state.messages.keys()) : 0;
}

async function loadMessages() {
  const id = state.selected;
  try {
    const answer = items(await api(`/conversations/${id}/messages?after_seq=${lastSeq()}`));
    if (id !== state.selected) return;
    for (const message of answer) state.messages.set(message.seq, message);
    say($("thread-error"), "");
    renderThread();
  } catch (error) {
    if (id === state.selected) say($("thread-error"), errorText(error), "error");
  }
}

function renderThread() {
  const thread = $("thread");
  const messages = [...state.messages.values()].sort((a, b) => a.seq - b.seq);
  if (messages.length === 0) {
    thread.replaceChildren(el("li", { className: "muted empty", text: t("no_messages") }));
    return;
  }
  thread.replaceChildren(...messages.map(renderMessage));
  thread.scrollTop = thread.scrollHeight;
}

function addMessage(message) {
  if (state.messages.has(message.seq)) return;
  if (message.seq > lastSeq() + 1) {
    loadMessages(); // a frame was missed: fetch everything after the last one shown, this one included
    return;
  }
  state.messages.set(message.seq, message);
  renderThread();
}

function authorLabel(message) {
  if (message.author === "customer") return t("author_customer");
  return message.author_user_id && message.author_user_id === state.me.id ? t("author_you") : t("author_agent");
}

function renderMessage(message) {
  const reading = message.reading;
  const redacted = Object.values(message.redactions || {}).reduce((sum, n) => sum + (Number(n) || 0), 0);
  const bubble = el(
    "div",
    { className: "bubble" },
    el(
      "p",
      { className: "message-head small" },
      el("strong", { text: authorLabel(message) }),
      el("span", { className: "muted", text: ` · ${formatTime(message.sent_at)}` }),
    ),
    el(
      "p",
      { className: "message-text", attrs: { lang: reading?.lang || null } },
      reading ? highlightCues(message.text, reading.cues) : message.text,
    ),
    redacted ? el("p", { className: "muted small", text: t("redacted", { count: redacted }) }) : null,
  );
  return el(
    "li",
    {
      className: `message from-${message.author}`,
      dataset: { seq: String(message.seq), messageId: String(message.id) },
    },
    bubble,
    reading ? renderReading(reading) : null,
  );
}

function renderReading(reading) {
  const tone = toneOf(reading.emoticon_level ?? reading.emoticon);
  const raised = SIGNALS.filter((name) => reading.signals?.[name]?.value);
  const cues = reading.cues || [];
  return el(
    "section",
    { className: `reading tone-${tone}`, attrs: { "aria-label": t("reading") }, dataset: { emotion: reading.emotion } },
    el(
      "div",
      { className: "reading-top" },
      el("span", { className: "emoticon big", dataset: { symbol: reading.emoticon } }, face(reading.emoticon, { size: 40 })),
      el(
        "div",
        {},
        el("p", { className: "emotion-name strong", text: term("emotion", reading.emotion) }),
        emoticonScale(reading.emoticon_level, reading.emoticon_label),
      ),
    ),
    el(
      "dl",
      { className: "facts" },
      el("dt", { text: t("sentiment") }),
      el("dd", { className: "sentiment", text: `${term("sentiment", reading.sentiment)} (${formatNumber(reading.valence)})` }),
      el("dt", { text: t("intensity") }),
      el("dd", {}, meterBar(reading.intensity, { label: t("intensity"), tone })),
      el("dt", { text: t("signals") }),
      el(
        "dd",
        { className: "signals" },
        raised.length
          ? raised.map((name) => el("span", { className: `chip signal-${name}`, text: term("signal", name) }))
          : el("span", { className: "muted", text: t("no_signals") }),
      ),
      reading.motive ? el("dt", { text: t("motive") }) : null,
      reading.motive ? el("dd", { text: term("motive", reading.motive) }) : null,
    ),
    el(
      "details",
      { className: "why" },
      el("summary", { text: t("why") }),
      cues.length
        ? el("ul", { className: "cue-list" }, cues.map((cue) => el("li", { text: describeCue(cue) })))
        : el("p", { className: "muted small", text: t("no_cues") }),
    ),
  );
}

// --- alerts of the selected conversation ----------------------------------------------------------------

async function loadAlerts() {
  const id = state.selected;
  try {
    const answer = items(await api("/alerts?status=open"));
    if (id !== state.selected) return;
    for (const alert of answer) if (alert.conversation_id === id) state.alerts.set(alert.id, alert);
    renderAlerts();
  } catch {
    // alerts are a help, not the console's job: the thread stays usable without them
  }
}

function reasonOf(alert) {
  const reasons = alert.reasons || {};
  return reasons[lang()] || reasons.fr || reasons.en || term("alert", alert.kind);
}

function renderAlerts() {
  const open = [...state.alerts.values()].filter((a) => a.status !== "acknowledged");
  $("conversation-alerts").replaceChildren(
    ...open.map((alert) =>
      el(
        "li",
        { className: `alert alert-${alert.severity}`, dataset: { alertId: String(alert.id), kind: alert.kind } },
        el("span", { className: "alert-reason", text: reasonOf(alert) }),
        el("button", {
          className: "button small",
          text: t("acknowledge"),
          attrs: { type: "button" },
          on: { click: () => acknowledge(alert.id) },
        }),
      ),
    ),
  );
}

async function acknowledge(id) {
  try {
    state.alerts.set(id, await api(`/alerts/${id}/acknowledge`, { method: "POST" }));
    renderAlerts();
  } catch (error) {
    say($("thread-error"), errorText(error), "error");
  }
}

// --- sending ---------------------------------------------------------------------------------------

function wireForm(formId, author) {
  const form = $(formId);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = form.text.value;
    const id = state.selected;
    if (!id || !text.trim()) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const answer = await api(`/conversations/${id}/messages`, { method: "POST", body: { author, text } });
      form.text.value = "";
      if (id === state.selected && answer?.message) {
        addMessage({ ...answer.message, reading: answer.reading });
        for (const alert of answer.alerts || []) state.alerts.set(alert.id, alert);
        renderAlerts();
        if (answer.reading) updateTemperature(id, answer.reading, answer.message.sent_at);
      }
      say($("thread-error"), "");
    } catch (error) {
      say($("thread-error"), error instanceof ApiError && error.status === 409 ? t("error_closed") : errorText(error), "error");
    } finally {
      button.disabled = false;
    }
  });
  form.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
}

function updateTemperature(conversationId, reading, sentAt) {
  const c = state.conversations.get(conversationId);
  if (!c) return;
  if (reading) {
    c.temperature = {
      emotion: reading.emotion,
      sentiment: reading.sentiment,
      valence: reading.valence,
      intensity: reading.intensity,
      emoticon: reading.emoticon,
    };
  }
  if (sentAt) c.last_message_at = sentAt;
  c.message_count = Math.max(c.message_count || 0, lastSeq());
  renderConversations();
}

// --- the report --------------------------------------------------------------------------------------

async function openReport() {
  const id = state.selected;
  if (!id) return;
  $("report").hidden = false;
  $("report-body").replaceChildren(el("p", { className: "muted", text: t("loading") }));
  try {
    // the report's sentences come in the page's language; quotes stay in the conversation's
    state.report = { conversationId: id, data: await api(`/conversations/${id}/report?lang=${lang()}`) };
  } catch (error) {
    state.report = { conversationId: id, error };
  }
  if (id === state.selected) renderReport();
  $("report").focus({ preventScroll: true });
  $("report").scrollIntoView({ block: "nearest" });
}

function renderReport() {
  const body = $("report-body");
  if (!state.report) return;
  if (state.report.error) {
    const error = state.report.error;
    body.replaceChildren(
      el("p", { className: "notice", text: error instanceof ApiError && error.status === 409 ? t("report_empty") : errorText(error) }),
    );
    return;
  }
  const report = state.report.data;
  const sat = report.satisfaction || {};
  const path = report.trajectory || {};
  const quoteList = (entries, nameOf, extra) =>
    entries.length
      ? el(
          "ul",
          { className: "report-list" },
          entries.map((entry) =>
            el(
              "li",
              {},
              el("strong", { text: nameOf(entry) }),
              el("span", { className: "muted small", text: ` · ${t("turn", { n: entry.turn + 1 })}` }),
              el("blockquote", { text: entry.quote }),
              extra ? extra(entry) : null,
            ),
          ),
        )
      : el("p", { className: "muted", text: t("none") });
  body.replaceChildren(
    el(
      "div",
      { className: "report-satisfaction" },
      el("h3", { text: t("satisfaction") }),
      el(
        "p",
        { className: "satisfaction-score", dataset: { score: String(sat.score ?? "") } },
        el("span", { className: "stars", attrs: { "aria-hidden": "true" }, text: "●".repeat(sat.score || 0) + "○".repeat(5 - (sat.score || 0)) }),
        " ",
        el("strong", { text: t("satisfaction_value", { score: sat.score ?? "?", label: term("satisfaction", sat.score) || sat.label }) }),
      ),
      sat.reasons?.length ? el("ul", { className: "small muted" }, sat.reasons.map((r) => el("li", { text: r }))) : null,
    ),
    el("h3", { text: t("arc") }),
    el("p", { className: "arc", text: report.arc || "—", attrs: { lang: report.lang || null } }),
    el(
      "p",
      { className: "badges" },
      path.recovered ? el("span", { className: "chip good", text: t("recovered") }) : null,
      path.deteriorated ? el("span", { className: "chip bad", text: t("deteriorated") }) : null,
      path.awaiting_reply ? el("span", { className: "chip", text: t("awaiting_reply") }) : null,
      el("span", { className: "chip", text: t("levels_value", { value: report.levels?.both ? t("yes") : t("no") }) }),
    ),
    el("h3", { text: t("ei_moments") }),
    quoteList(report.ei_moments || [], (m) => term("behaviour", m.behaviour)),
    el("h3", { text: t("improvements") }),
    quoteList(
      report.improvements || [],
      (m) => term("behaviour", m.moment),
      (m) => (m.suggestion ? el("p", { className: "suggestion", text: t("better_phrasing", { text: m.suggestion }) }) : null),
    ),
  );
}

// --- whispers ----------------------------------------------------------------------------------------

async function loadWhispers() {
  try {
    state.whispers = items(await api("/whispers"));
    renderWhispers();
  } catch {
    // the private panel stays empty; live whispers still arrive
  }
}

function renderWhispers() {
  const sorted = [...state.whispers].sort((a, b) => (b.created_at || "").localeCompare(a.created_at || "") || b.id - a.id);
  $("whisper-list").replaceChildren(
    ...sorted.map((w) =>
      el(
        "li",
        { className: "whisper", dataset: { whisperId: String(w.id), conversationId: String(w.conversation_id) } },
        el(
          "p",
          { className: "small muted" },
          el("span", { text: t("whisper_from", { name: w.author_name || "—", id: w.conversation_id }) }),
          el("span", { text: ` · ${formatTime(w.created_at)}` }),
        ),
        el("p", { className: "whisper-text", text: w.text }),
        w.conversation_id !== state.selected
          ? el("button", {
              className: "button small ghost",
              text: t("whisper_open_conversation", { id: w.conversation_id }),
              attrs: { type: "button" },
              on: { click: () => select(w.conversation_id) },
            })
          : null,
      ),
    ),
  );
  $("whispers-empty").hidden = sorted.length > 0;
}

// --- live --------------------------------------------------------------------------------------------

function onEvent(event) {
  switch (event.type) {
    case "message": {
      const message = { ...event.message, reading: event.reading };
      if (event.conversation_id === state.selected) {
        addMessage(message);
        if (event.reading) announce(t("new_customer_message", { emotion: term("emotion", event.reading.emotion) }));
        if (state.report && !$("report").hidden) openReport();
      }
      updateTemperature(event.conversation_id, event.reading, event.message?.sent_at);
      break;
    }
    case "alert":
      if (event.alert?.conversation_id === state.selected) {
        state.alerts.set(event.alert.id, event.alert);
        renderAlerts();
      }
      break;
    case "whisper":
      if (event.whisper && !state.whispers.some((w) => w.id === event.whisper.id)) {
        state.whispers.push(event.whisper);
        renderWhispers();
        $("whispers").classList.remove("flash");
        void $("whispers").offsetWidth;
        $("whispers").classList.add("flash");
        announce(`${t("new_whisper")} : ${event.whisper.text}`);
      }
      break;
    case "closed": {
      const c = state.conversations.get(event.conversation_id);
      if (c) c.status = "closed";
      if (event.conversation_id === state.selected) renderThreadHead();
      renderConversations();
      break;
    }
    default:
      break;
  }
}

function renderAll() {
  renderConversations();
  renderThreadHead();
  if (state.selected) renderThread();
  renderAlerts();
  renderWhispers();
  if (state.report && !$("report").hidden) renderReport();
}

async function main() {
  state.me = await startPage({ onLanguage: renderAll });
  state.live = new LiveConnection({
    onEvent,
    onStatus: liveIndicator,
    onReconnect: () => {
      loadConversations();
      loadWhispers();
      if (state.selected) {
        loadMessages();
        loadAlerts();
      }
    },
  });
  state.live.start();
  wireForm("reply-form", "agent");
  wireForm("customer-form", "customer");
  $("report-open").addEventListener("click", openReport);
  $("report-close").addEventListener("click", () => {
    $("report").hidden = true;
    state.report = null;
    $("report-open").focus();
  });
  await Promise.all([loadConversations(), loadWhispers()]);
  const followHash = () => {
    const wanted = /^#conversation-(\d+)$/.exec(location.hash);
    if (wanted) select(Number(wanted[1]));
  };
  window.addEventListener("hashchange", followHash);
  followHash();
  setInterval(loadConversations, POLL_MS);
}

main().catch((error) => {
  if (!(error instanceof ApiError && error.status === 401)) say($("conversations-error"), errorText(error), "error");
});
