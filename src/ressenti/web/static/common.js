// What every page shares: the API client (bearer token from sessionStorage, /login on 401), the live
// socket (ticket, automatic reconnection, subscriptions sent again), and DOM helpers that put text in
// the page as text only — data never goes through innerHTML.

import {
  formatNumber,
  formatPercent,
  hasTerm,
  initLanguage,
  onLanguageChange,
  scaleStep,
  SCALE,
  t,
  term,
  translatePage,
  wireLanguageSwitch,
  lang,
} from "./i18n.js";

const TOKEN_KEY = "ressenti.token";
const USER_KEY = "ressenti.user";
const NOTICE_KEY = "ressenti.notice";
const API = "/api/v1";

// ---------------------------------------------------------------------------------------------------
// Session

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveSession(answer) {
  sessionStorage.setItem(TOKEN_KEY, answer.token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(answer.user || {}));
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

/** A note for the login page to show once (e.g. "your session expired"). */
export function takeNotice() {
  const notice = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  return notice;
}

function toLogin(noticeKey) {
  clearSession();
  if (noticeKey) sessionStorage.setItem(NOTICE_KEY, noticeKey);
  if (location.pathname !== "/login") location.assign("/login");
}

/** Where a role lands after signing in: agents at the console, everyone else at the board. */
export function homeFor(role) {
  return role === "agent" ? "/agent" : "/board";
}

// ---------------------------------------------------------------------------------------------------
// REST

export class ApiError extends Error {
  constructor(status, detail, code) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
    this.code = code;
  }
}

/** Call `/api/v1{path}`: JSON in and out, the session's bearer token, and back to /login on a 401
 *  (unless `allow401`, for the login form itself). Throws ApiError (status 0 when unreachable). */
export async function api(path, { method = "GET", body, allow401 = false } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": lang() }; // refusals in the page's language
  const current = token();
  if (current) headers.Authorization = `Bearer ${current}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, t("error_network"));
  }
  if (response.status === 401 && !allow401) {
    toLogin("session_expired");
    throw new ApiError(401, "unauthenticated");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, data && data.detail !== undefined ? data.detail : response.statusText, data?.code);
  }
  return data;
}

/** A sentence for a person about a failed call, in the page's language. */
export function errorText(error) {
  if (!(error instanceof ApiError)) return t("error_generic", { status: "?", detail: String(error) });
  if (error.status === 0) return t("error_network");
  if (error.status === 403) return t("error_forbidden");
  if (error.status === 404) return t("error_not_found");
  if (error.status === 413) return t("error_too_long");
  let detail = error.detail;
  if (Array.isArray(detail)) detail = detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
  return t("error_generic", { status: error.status, detail: String(detail ?? "") });
}

/** The items of a list answer, whether the API sent `[…]` or `{items: […]}`. */
export function items(answer) {
  if (Array.isArray(answer)) return answer;
  if (answer && Array.isArray(answer.items)) return answer.items;
  return [];
}

// ---------------------------------------------------------------------------------------------------
// Live socket

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const PING_MS = 25000;

/** The live socket of one page. Subscriptions are remembered and sent again after every reconnection;
 *  `onReconnect` lets the page fetch what it missed while the socket was down. */
export class LiveConnection {
  constructor({ onEvent, onStatus, onReconnect } = {}) {
    this.onEvent = onEvent || (() => {});
    this.onStatus = onStatus || (() => {});
    this.onReconnect = onReconnect || (() => {});
    this.subscriptions = new Map(); // JSON key -> {conversation} | {team}
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    this.opened = false; // opened at least once: later openings are reconnections
    this.timer = null;
    this.pinger = null;
    this.channels = new Set();
  }

  start() {
    this.stopped = false;
    this.#connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.socket) this.socket.close(1000);
  }

  subscribe(target) {
    const key = JSON.stringify(target);
    if (this.subscriptions.has(key)) return;
    this.subscriptions.set(key, target);
    this.#send({ action: "subscribe", ...target });
  }

  unsubscribe(target) {
    const key = JSON.stringify(target);
    if (!this.subscriptions.delete(key)) return;
    this.#send({ action: "unsubscribe", ...target });
  }

  get connected() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  #send(frame) {
    if (this.connected) this.socket.send(JSON.stringify(frame));
  }

  async #connect() {
    if (this.stopped) return;
    this.onStatus(this.opened ? "reconnecting" : "connecting");
    let ticket;
    try {
      ticket = (await api("/live/tickets", { method: "POST" })).ticket;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return; // api() is already on its way to /login
      this.#retry();
      return;
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${API}/live?ticket=${encodeURIComponent(ticket)}`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      const again = this.opened;
      this.opened = true;
      this.attempt = 0;
      for (const target of this.subscriptions.values()) this.#send({ action: "subscribe", ...target });
      clearInterval(this.pinger);
      this.pinger = setInterval(() => this.#send({ action: "ping" }), PING_MS);
      this.onStatus("connected");
      if (again) this.onReconnect();
    });
    socket.addEventListener("message", (frame) => {
      let event;
      try {
        event = JSON.parse(frame.data);
      } catch {
        return;
      }
      if (!event || typeof event !== "object") return;
      if (event.type === "subscribed" || event.type === "unsubscribed") this.#track(event);
      this.onEvent(event);
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket) return;
      clearInterval(this.pinger);
      this.socket = null;
      this.channels.clear();
      document.documentElement.dataset.liveChannels = "";
      this.#retry();
    });
  }

  // The channels the server confirmed, also written on <html data-live-channels> for tests and tools.
  #track(event) {
    if (event.type === "subscribed") this.channels.add(event.channel);
    else this.channels.delete(event.channel);
    document.documentElement.dataset.liveChannels = [...this.channels].join(" ");
  }

  #retry() {
    if (this.stopped) return;
    this.onStatus("reconnecting");
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.#connect(), base + Math.floor(Math.random() * 250));
  }
}

// ---------------------------------------------------------------------------------------------------
// DOM: text only

/** `el("p", {className: "x", attrs: {title: "…"}, on: {click: fn}}, "text", child)`: an element whose
 *  strings become text nodes. Nothing here parses HTML. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { className, text, attrs, on, dataset } = props || {};
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
  }
  if (dataset) Object.assign(node.dataset, dataset);
  if (on) for (const [name, handler] of Object.entries(on)) node.addEventListener(name, handler);
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Say `message` to screen readers (the page's polite live region). */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

/** Show `message` in a status element (role=status or alert), or clear it. */
export function say(node, message, kind = "info") {
  if (!node) return;
  node.textContent = message || "";
  node.dataset.kind = kind;
  node.hidden = !message;
}

// ---------------------------------------------------------------------------------------------------
// Readings

function cueEffects(cue) {
  const parts = [];
  const effect = cue.effect || {};
  if (typeof effect.valence === "number") parts.push(t("effect_valence", { value: formatNumber(effect.valence) }));
  const emotions = Object.entries(effect)
    .filter(([name, value]) => name !== "valence" && typeof value === "number" && Math.abs(value) >= 0.05)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))
    .slice(0, 3);
  for (const [name, value] of emotions) parts.push(`${term("emotion", name)} ${formatNumber(value)}`);
  let line = t("cue_title", { kind: term("cue", cue.kind), text: cue.text, effects: parts.join(", ") || "—" });
  if (cue.note) {
    const vocabulary = hasTerm("signal", cue.note) ? "signal" : "motive";
    line += ` — ${t("cue_note", { note: term(vocabulary, cue.note) })}`;
  }
  return line;
}

// A cue that barely moved the reading is marked discreetly, so that the telling ones stand out.
const WEAK_VALENCE = 0.05;
const WEAK_EMOTION = 0.1;

function isWeak(cue) {
  const effect = cue.effect || {};
  return Object.entries(effect).every(([name, value]) =>
    Math.abs(Number(value) || 0) < (name === "valence" ? WEAK_VALENCE : WEAK_EMOTION),
  );
}

/** Why a cue moved the reading, for a person (also its tooltip). */
export function describeCue(cue) {
  return cueEffects(cue);
}

/** The message's text with its cues highlighted. Offsets are Python string indices (code points),
 *  so the text is cut by code point, not by UTF-16 unit (an emoji is one code point, two units).
 *  Overlapping cues split the text into segments, each marked with every cue that covers it. */
export function highlightCues(text, cues = []) {
  const fragment = document.createDocumentFragment();
  const points = Array.from(text || "");
  const usable = (cues || []).filter(
    (c) => Number.isInteger(c.start) && Number.isInteger(c.end) && c.start < c.end && c.start >= 0 && c.end <= points.length,
  );
  const cuts = new Set([0, points.length]);
  for (const cue of usable) {
    cuts.add(cue.start);
    cuts.add(cue.end);
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i < bounds.length - 1; i += 1) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const piece = points.slice(from, to).join("");
    const covering = usable.filter((c) => c.start <= from && c.end >= to);
    if (covering.length === 0) {
      fragment.append(document.createTextNode(piece));
      continue;
    }
    const valence = covering.reduce((sum, c) => sum + (c.effect?.valence || 0), 0);
    const polarity = valence < -0.02 ? "negative" : valence > 0.02 ? "positive" : "neutral";
    const raises = covering.some((c) => c.note);
    const weak = !raises && covering.every(isWeak);
    fragment.append(
      el("mark", {
        className: `cue cue-${polarity}${raises ? " cue-signal" : ""}${weak ? " cue-weak" : ""}`,
        text: piece,
        attrs: { title: covering.map(cueEffects).join("\n") }, // for the keyboard: the "Why?" list
        dataset: { kinds: covering.map((c) => c.kind).join(" ") },
      }),
    );
  }
  return fragment;
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

// Mouths from furious (1) to delighted (5): drawn, so that the scale looks the same on every computer,
// emoji font or not.
const MOUTHS = {
  1: "M7.5 17.6 Q12 12.8 16.5 17.6",
  2: "M8 16.8 Q12 14.2 16 16.8",
  3: "M8 15.6 L16 15.6",
  4: "M7.8 14.4 Q12 18.2 16.2 14.4",
  5: "M6.8 13.4 Q12 21 17.2 13.4 Z",
};

/** A face of the emoticon scale (an SVG picture; its meaning is also written beside it). */
export function face(symbolOrLevel, { size = 20 } = {}) {
  const step = scaleStep(symbolOrLevel);
  const picture = svg("svg", {
    viewBox: "0 0 24 24",
    width: size,
    height: size,
    class: `face face-${step.level}`,
    "aria-hidden": "true",
    focusable: "false",
  });
  picture.append(svg("circle", { cx: 12, cy: 12, r: 10.6, class: "face-skin" }));
  picture.append(svg("circle", { cx: 8.6, cy: 10, r: 1.35, class: "face-eye" }));
  picture.append(svg("circle", { cx: 15.4, cy: 10, r: 1.35, class: "face-eye" }));
  if (step.level === 1) {
    picture.append(svg("path", { d: "M6.2 6.6 L10.2 8.4 M17.8 6.6 L13.8 8.4", class: "face-line" }));
  }
  picture.append(svg("path", { d: MOUTHS[step.level], class: step.level === 5 ? "face-line face-open" : "face-line" }));
  return picture;
}

/** The five-step emoticon scale with the reading's step marked (and named, not only coloured). */
export function emoticonScale(level, labels) {
  const step = scaleStep(level);
  const name = labels?.[lang()] || step[lang()];
  const scale = el("span", {
    className: "scale",
    attrs: { role: "img", "aria-label": t("emoticon_scale", { label: name }) },
  });
  for (const s of SCALE) {
    const current = s.level === step.level;
    const item = el("span", {
      className: `scale-step${current ? " is-current" : ""}`,
      attrs: { title: s[lang()] },
      dataset: { symbol: s.symbol },
    });
    item.append(face(s.level, { size: current ? 20 : 16 }));
    scale.append(item);
  }
  scale.append(el("span", { className: "scale-label", text: name, attrs: { "aria-hidden": "true" } }));
  return scale;
}

/** A bar of `value` (0..1), with its value as text beside it for those who do not see colour. */
export function meterBar(value, { label, tone = "neutral" } = {}) {
  const share = Math.max(0, Math.min(1, Number(value) || 0));
  const percent = Math.round(share * 100);
  const fill = el("span", { className: "meter-fill" });
  fill.style.width = `${percent}%`; // CSSOM, not a style attribute: allowed under a strict CSP
  return el(
    "span",
    { className: "meter" },
    el(
      "span",
      {
        className: `meter-track tone-${tone}`,
        attrs: {
          role: "meter",
          "aria-valuemin": "0",
          "aria-valuemax": "100",
          "aria-valuenow": String(percent),
          "aria-label": label || t("intensity"),
        },
      },
      fill,
    ),
    el("span", { className: "meter-value", text: formatPercent(share) }),
  );
}

/** The tone of a reading for colour, from its step on the emoticon scale (itself drawn from valence and
 *  intensity): hot (furious), warm (unhappy), calm (neutral), positive (content, delighted). */
export function toneOf(symbolOrLevel) {
  return { 1: "hot", 2: "warm", 3: "calm", 4: "positive", 5: "positive" }[scaleStep(symbolOrLevel).level];
}

/** The emotional temperature of a conversation: emoticon, emotion written out, and a bar whose
 *  length is the intensity and whose colour is the valence. */
export function temperature(temp) {
  if (!temp) return el("span", { className: "temperature is-empty", text: t("no_reading") });
  const step = scaleStep(temp.emoticon);
  const tone = toneOf(temp.emoticon);
  return el(
    "span",
    { className: `temperature tone-${tone}`, dataset: { emotion: temp.emotion || "" } },
    el("span", { className: "emoticon", attrs: { title: step[lang()] }, dataset: { symbol: step.symbol } }, face(step.level)),
    el("span", { className: "emotion-name", text: term("emotion", temp.emotion) }),
    meterBar(temp.intensity, { label: `${t("intensity")} — ${term("emotion", temp.emotion)}`, tone }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Page frame

/** Start a signed-in page: the token (else /login), the caller (GET /me), the language, the header. */
export async function startPage({ onLanguage } = {}) {
  if (!token()) {
    toLogin();
    throw new ApiError(401, "not signed in");
  }
  const me = await api("/me");
  initLanguage(me.locale);
  translatePage();
  wireLanguageSwitch();
  if (onLanguage) onLanguageChange(onLanguage);
  const who = document.getElementById("who");
  const paint = () => {
    if (who) who.textContent = `${me.name} · ${t(`role_${me.role}`)}`;
  };
  paint();
  onLanguageChange(paint);
  const logout = document.getElementById("logout");
  if (logout) {
    logout.addEventListener("click", async () => {
      try {
        await api("/auth/session", { method: "DELETE" });
      } catch {
        // the token dies with the session either way
      }
      toLogin();
    });
  }
  return me;
}

/** Paint the live indicator (`#live-status`) for a connection state. */
export function liveIndicator(state) {
  const node = document.getElementById("live-status");
  if (!node) return;
  const key = { connected: "live_connected", connecting: "live_connecting", reconnecting: "live_reconnecting", polling: "live_polling" }[state];
  node.dataset.state = state;
  node.dataset.i18n = key;
  node.textContent = t(key);
}
