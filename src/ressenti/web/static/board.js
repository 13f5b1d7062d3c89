// The supervisor's board: the ongoing conversations of their teams with their emotional temperature,
// updated live from `conversation` events; open alerts that say why, live from `alert` events, with an
// acknowledge button; a discreet note (whisper) to the agent of the selected conversation.
// Agents' wellbeing is not shown here: supervisors only ever see it as team aggregates, elsewhere.

import {
  announce,
  api,
  ApiError,
  el,
  errorText,
  items,
  LiveConnection,
  liveIndicator,
  say,
  startPage,
  temperature,
} from "./common.js";
import { formatTime, lang, t, term } from "./i18n.js";

const POLL_MS = 15000; // without a team subscription (trainers read only), the board refreshes this often
// Acknowledgements have no live event: the open alerts are read again this often to drop those that
// someone else (the agent, another supervisor) acknowledged.
const ALERTS_REFRESH_MS = 60000;

const $ = (id) => document.getElementById(id);
const state = {
  me: null,
  readOnly: false,
  teams: new Map(), // id -> team
  agents: new Map(), // id -> name
  conversations: new Map(),
  alerts: new Map(),
  selected: null,
  whisperNote: null, // {key, values, kind}: the whisper box's message, redrawn on a language switch
  live: null,
  polling: null,
};

// --- conversations -----------------------------------------------------------------------------------

async function loadConversations() {
  try {
    const answers = await Promise.all(
      [...state.teams.keys()].map((team) => api(`/conversations?status=open&team_id=${team}&limit=200`)),
    );
    const fresh = new Map();
    for (const answer of answers) for (const c of items(answer)) fresh.set(c.id, c);
    state.conversations = fresh;
    say($("board-error"), "");
    renderRows();
  } catch (error) {
    say($("board-error"), errorText(error), "error");
  }
}

async function loadAgents() {
  if (!["supervisor", "admin"].includes(state.me.role)) return;
  try {
    for (const user of items(await api("/users"))) state.agents.set(user.id, user.name);
  } catch {
    // names are a comfort: ids are shown instead
  }
}

function agentName(id) {
  if (id == null) return t("unassigned");
  return state.agents.get(id) || `#${id}`;
}

function teamName(id) {
  return state.teams.get(id)?.name || `#${id}`;
}

function visibleRows() {
  const filter = $("team-filter").value;
  return [...state.conversations.values()]
    .filter((c) => c.status !== "closed" && (!filter || String(c.team_id) === filter))
    .sort((a, b) => (b.last_message_at || b.opened_at || "").localeCompare(a.last_message_at || a.opened_at || "") || b.id - a.id);
}

function renderRow(c) {
  const chosen = c.id === state.selected;
  const row = el(
    "tr",
    {
      className: chosen ? "is-selected" : "",
      dataset: { conversationId: String(c.id) },
      on: {
        click: (event) => {
          if (!event.target.closest("button")) choose(c.id);
        },
      },
    },
    el("th", { attrs: { scope: "row" } }, el("span", { text: `#${c.id}` }), el("span", { className: "muted small block", text: c.external_id || "" })),
    el("td", { text: teamName(c.team_id) }),
    el("td", { className: c.agent_id == null ? "muted" : "", text: agentName(c.agent_id) }),
    el("td", { text: term("channel", c.channel) }),
    el("td", { className: "cell-temperature" }, temperature(c.temperature)),
    el("td", { className: "num", text: String(c.message_count ?? "—") }),
    el("td", {}, el("time", { attrs: { datetime: c.last_message_at || "" }, text: formatTime(c.last_message_at) })),
    el(
      "td",
      {},
      el("button", {
        className: `button small${chosen ? " primary" : ""}`,
        text: chosen ? t("chosen") : t("choose"),
        attrs: { type: "button", "aria-pressed": String(chosen), "aria-label": t("choose_label", { id: c.id }) },
        on: { click: () => choose(c.id) },
      }),
    ),
  );
  return row;
}

function renderRows() {
  const rows = visibleRows();
  $("board-rows").replaceChildren(...rows.map(renderRow));
  $("board-empty").hidden = rows.length > 0;
}

function flashRow(id) {
  const row = document.querySelector(`#board-rows tr[data-conversation-id="${CSS.escape(String(id))}"]`);
  if (!row) return;
  row.classList.remove("flash");
  void row.offsetWidth;
  row.classList.add("flash");
}

async function onConversationEvent(event) {
  const id = event.conversation_id;
  let c = state.conversations.get(id);
  if (!c) {
    try {
      c = await api(`/conversations/${id}`);
    } catch {
      return;
    }
    state.conversations.set(id, c);
  } else {
    if (event.temperature) c.temperature = event.temperature;
    if (event.status) c.status = event.status;
    if ("agent_id" in event) c.agent_id = event.agent_id;
    if (event.channel) c.channel = event.channel;
    if (event.last_message_at) c.last_message_at = event.last_message_at;
    if (Number.isInteger(event.seq)) c.message_count = Math.max(c.message_count || 0, event.seq);
  }
  if (c.agent_id != null && !state.agents.has(c.agent_id)) await loadAgents();
  renderRows();
  flashRow(id);
  if (id === state.selected) renderWhisperTarget();
  if (event.author === "customer" && c.temperature) {
    announce(t("row_updated", { id, emotion: term("emotion", c.temperature.emotion) }));
  }
}

// --- alerts ------------------------------------------------------------------------------------------

async function loadAlerts() {
  try {
    const fresh = new Map();
    for (const alert of items(await api("/alerts?status=open&limit=200"))) fresh.set(alert.id, alert);
    state.alerts = fresh;
    renderAlerts();
  } catch (error) {
    say($("board-error"), errorText(error), "error");
  }
}

function reasonOf(alert) {
  const reasons = alert.reasons || {};
  return reasons[lang()] || reasons.fr || reasons.en || term("alert", alert.kind);
}

function renderAlerts() {
  const open = [...state.alerts.values()]
    .filter((a) => a.status !== "acknowledged")
    .sort((a, b) => b.id - a.id);
  $("alert-list").replaceChildren(
    ...open.map((alert) =>
      el(
        "li",
        { className: `alert alert-${alert.severity}`, dataset: { alertId: String(alert.id), kind: alert.kind } },
        el(
          "p",
          { className: "alert-head" },
          el("span", { className: `severity severity-${alert.severity}`, text: t(`severity_${alert.severity}`) }),
          el("strong", { className: "alert-kind", text: term("alert", alert.kind) }),
          el("span", { className: "muted small", text: formatTime(alert.created_at) }),
        ),
        el("p", { className: "alert-reason", text: reasonOf(alert) }),
        el(
          "p",
          { className: "alert-actions" },
          el("button", {
            className: "button small ghost",
            text: t("alert_about", { id: alert.conversation_id }),
            attrs: { type: "button" },
            on: { click: () => choose(alert.conversation_id) },
          }),
          state.readOnly
            ? null
            : el("button", {
                className: "button small",
                text: t("acknowledge"),
                attrs: { type: "button" },
                on: { click: () => acknowledge(alert.id) },
              }),
        ),
      ),
    ),
  );
  $("alerts-empty").hidden = open.length > 0;
  $("alerts-count").textContent = open.length ? String(open.length) : "";
}

async function acknowledge(id) {
  try {
    state.alerts.set(id, await api(`/alerts/${id}/acknowledge`, { method: "POST" }));
    renderAlerts();
  } catch (error) {
    say($("board-error"), errorText(error), "error");
  }
}

// --- whisper -----------------------------------------------------------------------------------------

async function choose(id) {
  if (!state.conversations.has(id)) {
    // an alert may point at a conversation that is no longer on the board (closed since)
    try {
      state.conversations.set(id, await api(`/conversations/${id}`));
    } catch (error) {
      say($("board-error"), errorText(error), "error");
      return;
    }
  }
  state.selected = id;
  state.whisperNote = null;
  say($("whisper-status"), "");
  renderRows();
  renderWhisperTarget();
  if (!state.readOnly) $("whisper-text").focus();
}

function renderWhisperTarget() {
  const c = state.conversations.get(state.selected);
  const form = $("whisper-form");
  if (!c) {
    $("whisper-target").textContent = t("whisper_pick");
    form.hidden = true;
    return;
  }
  $("whisper-target").textContent = t("whisper_to", { agent: agentName(c.agent_id), id: c.id });
  form.hidden = state.readOnly;
}

function showWhisperNote() {
  const note = state.whisperNote;
  say($("whisper-status"), note ? (note.text ?? t(note.key, note.values)) : "", note?.kind);
}

async function sendWhisper(event) {
  event.preventDefault();
  const form = $("whisper-form");
  const text = form.text.value;
  const id = state.selected;
  if (!id || !text.trim()) return;
  const button = $("whisper-send");
  button.disabled = true;
  try {
    await api(`/conversations/${id}/whispers`, { method: "POST", body: { text } });
    form.text.value = "";
    state.whisperNote = { key: "whisper_sent", values: { agent: agentName(state.conversations.get(id)?.agent_id) }, kind: "success" };
  } catch (error) {
    state.whisperNote =
      error instanceof ApiError && error.status === 409
        ? { key: "whisper_no_agent", values: {}, kind: "error" }
        : { text: errorText(error), kind: "error" };
  } finally {
    button.disabled = false;
  }
  showWhisperNote();
}

// --- live --------------------------------------------------------------------------------------------

function onEvent(event) {
  switch (event.type) {
    case "conversation":
      onConversationEvent(event);
      break;
    case "alert":
      if (event.alert && !state.alerts.has(event.alert.id)) {
        state.alerts.set(event.alert.id, event.alert);
        renderAlerts();
        announce(t("new_alert", { reason: reasonOf(event.alert) }));
      }
      break;
    case "closed": {
      const c = state.conversations.get(event.conversation_id);
      if (c) c.status = "closed";
      renderRows();
      break;
    }
    case "error":
      if (event.code === "forbidden") startPolling();
      break;
    default:
      break;
  }
}

function startPolling() {
  if (state.polling) return;
  state.live.stop();
  liveIndicator("polling");
  state.polling = setInterval(() => {
    loadConversations();
    loadAlerts();
  }, POLL_MS);
}

function renderAll() {
  fillTeamFilter();
  renderRows();
  renderAlerts();
  renderWhisperTarget();
  showWhisperNote();
}

function fillTeamFilter() {
  const select = $("team-filter");
  const chosen = select.value;
  select.replaceChildren(
    el("option", { text: t("all_teams"), attrs: { value: "" } }),
    ...[...state.teams.values()].map((team) => el("option", { text: team.name, attrs: { value: String(team.id) } })),
  );
  select.value = chosen;
}

async function main() {
  state.me = await startPage({ onLanguage: renderAll });
  if (state.me.role === "agent") {
    location.replace("/agent");
    return;
  }
  state.readOnly = state.me.role === "trainer";
  $("read-only").hidden = !state.readOnly;
  $("whisper-box").hidden = state.readOnly; // trainers read; they neither whisper nor acknowledge
  $("board-table").classList.toggle("read-only", state.readOnly);
  let teams = state.me.teams || [];
  if (state.me.role === "admin") {
    try {
      teams = items(await api("/teams"));
    } catch {
      // an admin's own teams, then
    }
  }
  for (const team of teams) state.teams.set(team.id, team);
  fillTeamFilter();
  $("team-filter").addEventListener("change", renderRows);
  $("whisper-form").addEventListener("submit", sendWhisper);
  $("whisper-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("whisper-form").requestSubmit();
  });
  state.live = new LiveConnection({
    onEvent,
    onStatus: liveIndicator,
    onReconnect: () => {
      loadConversations();
      loadAlerts();
    },
  });
  if (state.readOnly) {
    startPolling();
  } else {
    for (const id of state.teams.keys()) state.live.subscribe({ team: id });
    state.live.start();
  }
  await loadAgents();
  await Promise.all([loadConversations(), loadAlerts()]);
  renderWhisperTarget();
  setInterval(() => {
    if (!state.polling) loadAlerts();
  }, ALERTS_REFRESH_MS);
}

main().catch((error) => {
  if (!(error instanceof ApiError && error.status === 401)) say($("board-error"), errorText(error), "error");
});
