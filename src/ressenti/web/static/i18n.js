// Every string a person reads, in French and English. French by default (Ressenti speaks to French
// teams first); English when the user's locale says so, or when they pick it with the header switch.

const LANG_KEY = "ressenti.lang";

const STRINGS = {
  fr: {
    app_name: "Ressenti",
    skip_to_content: "Aller au contenu",
    language: "Langue",
    switch_to_fr: "Afficher en français",
    switch_to_en: "Show in English",
    logout: "Se déconnecter",
    signed_in_as: "Connecté·e : {name}",
    role_agent: "conseiller",
    role_supervisor: "superviseur",
    role_trainer: "formateur",
    role_admin: "administrateur",
    loading: "Chargement…",
    error_network: "Le serveur ne répond pas. Vérifiez la connexion et réessayez.",
    error_generic: "La demande a échoué ({status}) : {detail}",
    error_forbidden: "Vous n'avez pas le droit de faire cela.",
    error_not_found: "Introuvable, ou vous n'y avez pas accès.",
    error_closed: "Cette conversation est close.",
    error_too_long: "Le texte est trop long.",
    live_connected: "En direct",
    live_connecting: "Connexion au direct…",
    live_reconnecting: "Direct interrompu, reconnexion…",
    live_polling: "Actualisation périodique",
    privacy_notice:
      "Ressenti lit l'émotion des messages des clients à partir du texte seulement. Les émotions des conseillers ne sont jamais déduites.",

    // login
    login_page_title: "Connexion — Ressenti",
    login_title: "Connexion",
    login_intro: "L'intelligence émotionnelle au service de la relation client.",
    organisation: "Organisation",
    organisation_hint: "L'identifiant de votre organisation, par exemple maison-lumen.",
    email: "Adresse e-mail",
    password: "Mot de passe",
    sign_in: "Se connecter",
    signing_in: "Connexion…",
    login_failed: "Organisation, adresse e-mail ou mot de passe incorrect.",
    login_missing: "Remplissez l'organisation, l'adresse e-mail et le mot de passe.",
    session_expired: "Votre session a expiré : reconnectez-vous.",

    // agent console
    agent_page_title: "Console conseiller — Ressenti",
    agent_title: "Console conseiller",
    conversations: "Conversations en cours",
    conversations_count: "{count} conversation(s)",
    no_conversations: "Aucune conversation en cours.",
    no_reading: "pas encore de lecture",
    pick_conversation: "Choisissez une conversation pour voir ses messages.",
    conversation_label: "Conversation n° {id}",
    customer_label: "Client {ref}",
    opened_at: "ouverte le {date}",
    no_messages: "Aucun message pour l'instant.",
    author_customer: "Client",
    author_agent: "Conseiller",
    author_you: "Vous",
    redacted: "{count} donnée(s) personnelle(s) masquée(s)",
    reading: "Lecture du message",
    emotion: "Émotion",
    sentiment: "Sentiment",
    intensity: "Intensité",
    intensity_value: "Intensité {value} %",
    valence: "Valence",
    signals: "Signaux",
    no_signals: "aucun signal",
    motive: "Motif",
    emoticon_scale: "Échelle : {label}",
    why: "Pourquoi ?",
    cue_title: "{kind} « {text} » : {effects}",
    cue_note: "lève : {note}",
    effect_valence: "valence {value}",
    no_cues: "Aucun indice marquant : lecture neutre.",
    reply_label: "Votre réponse au client",
    reply_placeholder: "Écrivez votre réponse…",
    send_reply: "Envoyer la réponse",
    sending: "Envoi…",
    simulate_title: "Simuler un message du client (test et démo)",
    simulate_label: "Message du client",
    simulate_placeholder: "Collez ici un message de client…",
    simulate_send: "Ajouter le message du client",
    report_open: "Rapport de la conversation",
    report_title: "Rapport de la conversation",
    report_close: "Fermer le rapport",
    report_empty: "Pas encore de rapport : la conversation n'a aucun message.",
    satisfaction: "Satisfaction estimée",
    satisfaction_value: "{score}/5 — {label}",
    arc: "Trajectoire",
    recovered: "Contact rétabli",
    deteriorated: "Contact dégradé",
    awaiting_reply: "Réponse en attente du client",
    levels_value: "Réponse aux deux niveaux (émotionnel et rationnel) : {value}",
    ei_moments: "Moments d'intelligence émotionnelle",
    improvements: "À améliorer",
    better_phrasing: "Mieux : {text}",
    turn: "tour {n}",
    none: "aucun",
    yes: "oui",
    no: "non",
    whispers_title: "Note de votre superviseur",
    whispers_private: "Privé : vous seul·e la voyez ; le client ne la voit jamais.",
    no_whispers: "Aucune note pour l'instant.",
    whisper_from: "{name}, à propos de la conversation n° {id}",
    whisper_open_conversation: "Ouvrir la conversation n° {id}",
    new_whisper: "Nouvelle note de votre superviseur",
    conversation_alerts: "Alertes de cette conversation",
    acknowledge: "Acquitter",
    acknowledged: "Acquittée",
    closed_notice: "Cette conversation est close.",
    new_customer_message: "Nouveau message du client : {emotion}",

    // board
    board_page_title: "Tableau de supervision — Ressenti",
    board_title: "Tableau de supervision",
    read_only: "Lecture seule",
    team_filter: "Équipe",
    all_teams: "Toutes mes équipes",
    ongoing: "Conversations en cours",
    col_conversation: "Conversation",
    col_team: "Équipe",
    col_agent: "Conseiller",
    col_channel: "Canal",
    col_temperature: "Température émotionnelle",
    col_messages: "Messages",
    col_updated: "Dernière mise à jour",
    col_action: "Action",
    choose: "Choisir",
    chosen: "Choisie",
    choose_label: "Choisir la conversation n° {id}",
    unassigned: "non attribuée",
    not_yet: "—",
    no_ongoing: "Aucune conversation en cours dans vos équipes.",
    alerts_title: "Alertes ouvertes",
    no_alerts: "Aucune alerte ouverte.",
    severity_high: "priorité élevée",
    severity_medium: "priorité moyenne",
    alert_about: "Conversation n° {id}",
    whisper_title: "Note discrète au conseiller",
    whisper_hint: "Le client ne voit jamais cette note : seul le conseiller de la conversation la reçoit.",
    whisper_pick: "Choisissez une conversation dans le tableau pour écrire au conseiller.",
    whisper_to: "Pour {agent} — conversation n° {id}",
    whisper_label: "Votre note",
    whisper_placeholder: "Ex. : reconnaissez d'abord son agacement, puis proposez un geste.",
    whisper_send: "Envoyer la note",
    whisper_sent: "Note envoyée à {agent}.",
    whisper_no_agent: "Personne n'est attribué à cette conversation : la note n'a pas de destinataire.",
    row_updated: "Conversation n° {id} : {emotion}",
    new_alert: "Nouvelle alerte : {reason}",
  },
  en: {
    app_name: "Ressenti",
    skip_to_content: "Skip to content",
    language: "Language",
    switch_to_fr: "Afficher en français",
    switch_to_en: "Show in English",
    logout: "Log out",
    signed_in_as: "Signed in: {name}",
    role_agent: "agent",
    role_supervisor: "supervisor",
    role_trainer: "trainer",
    role_admin: "administrator",
    loading: "Loading…",
    error_network: "The server does not answer. Check the connection and try again.",
    error_generic: "The request failed ({status}): {detail}",
    error_forbidden: "You are not allowed to do that.",
    error_not_found: "Not found, or you have no access to it.",
    error_closed: "This conversation is closed.",
    error_too_long: "The text is too long.",
    live_connected: "Live",
    live_connecting: "Connecting live…",
    live_reconnecting: "Live connection lost, reconnecting…",
    live_polling: "Periodic refresh",
    privacy_notice:
      "Ressenti reads the emotion of customers' messages from their text only. Agents' emotions are never inferred.",

    login_page_title: "Sign in — Ressenti",
    login_title: "Sign in",
    login_intro: "Emotional intelligence for customer relations.",
    organisation: "Organisation",
    organisation_hint: "Your organisation's identifier, for example maison-lumen.",
    email: "E-mail address",
    password: "Password",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    login_failed: "Wrong organisation, e-mail address or password.",
    login_missing: "Fill in the organisation, the e-mail address and the password.",
    session_expired: "Your session has expired: please sign in again.",

    agent_page_title: "Agent console — Ressenti",
    agent_title: "Agent console",
    conversations: "Open conversations",
    conversations_count: "{count} conversation(s)",
    no_conversations: "No open conversation.",
    no_reading: "no reading yet",
    pick_conversation: "Pick a conversation to see its messages.",
    conversation_label: "Conversation #{id}",
    customer_label: "Customer {ref}",
    opened_at: "opened {date}",
    no_messages: "No message yet.",
    author_customer: "Customer",
    author_agent: "Agent",
    author_you: "You",
    redacted: "{count} personal detail(s) masked",
    reading: "Reading of the message",
    emotion: "Emotion",
    sentiment: "Sentiment",
    intensity: "Intensity",
    intensity_value: "Intensity {value}%",
    valence: "Valence",
    signals: "Signals",
    no_signals: "no signal",
    motive: "Motive",
    emoticon_scale: "Scale: {label}",
    why: "Why?",
    cue_title: "{kind} “{text}”: {effects}",
    cue_note: "raises: {note}",
    effect_valence: "valence {value}",
    no_cues: "No telling cue: a neutral reading.",
    reply_label: "Your reply to the customer",
    reply_placeholder: "Write your reply…",
    send_reply: "Send the reply",
    sending: "Sending…",
    simulate_title: "Simulate a customer message (testing and demo)",
    simulate_label: "Customer's message",
    simulate_placeholder: "Paste a customer's message here…",
    simulate_send: "Add the customer's message",
    report_open: "Conversation report",
    report_title: "Conversation report",
    report_close: "Close the report",
    report_empty: "No report yet: the conversation has no message.",
    satisfaction: "Estimated satisfaction",
    satisfaction_value: "{score}/5 — {label}",
    arc: "Trajectory",
    recovered: "Recovered",
    deteriorated: "Deteriorated",
    awaiting_reply: "Reply awaiting the customer",
    levels_value: "Answered on both levels (emotional and rational): {value}",
    ei_moments: "Emotional-intelligence moments",
    improvements: "To improve",
    better_phrasing: "Better: {text}",
    turn: "turn {n}",
    none: "none",
    yes: "yes",
    no: "no",
    whispers_title: "Note from your supervisor",
    whispers_private: "Private: only you see it; the customer never does.",
    no_whispers: "No note yet.",
    whisper_from: "{name}, about conversation #{id}",
    whisper_open_conversation: "Open conversation #{id}",
    new_whisper: "New note from your supervisor",
    conversation_alerts: "Alerts on this conversation",
    acknowledge: "Acknowledge",
    acknowledged: "Acknowledged",
    closed_notice: "This conversation is closed.",
    new_customer_message: "New customer message: {emotion}",

    board_page_title: "Supervision board — Ressenti",
    board_title: "Supervision board",
    read_only: "Read only",
    team_filter: "Team",
    all_teams: "All my teams",
    ongoing: "Ongoing conversations",
    col_conversation: "Conversation",
    col_team: "Team",
    col_agent: "Agent",
    col_channel: "Channel",
    col_temperature: "Emotional temperature",
    col_messages: "Messages",
    col_updated: "Last update",
    col_action: "Action",
    choose: "Select",
    chosen: "Selected",
    choose_label: "Select conversation #{id}",
    unassigned: "unassigned",
    not_yet: "—",
    no_ongoing: "No ongoing conversation in your teams.",
    alerts_title: "Open alerts",
    no_alerts: "No open alert.",
    severity_high: "high priority",
    severity_medium: "medium priority",
    alert_about: "Conversation #{id}",
    whisper_title: "Discreet note to the agent",
    whisper_hint: "The customer never sees this note: only the conversation's agent receives it.",
    whisper_pick: "Pick a conversation in the table to write to its agent.",
    whisper_to: "To {agent} — conversation #{id}",
    whisper_label: "Your note",
    whisper_placeholder: "E.g.: acknowledge their frustration first, then offer a gesture.",
    whisper_send: "Send the note",
    whisper_sent: "Note sent to {agent}.",
    whisper_no_agent: "Nobody is assigned to this conversation: the note has no recipient.",
    row_updated: "Conversation #{id}: {emotion}",
    new_alert: "New alert: {reason}",
  },
};

// Labels of the engine's vocabularies (the same as ressenti/i18n.py).
const TERMS = {
  emotion: {
    anger: ["colère", "anger"],
    frustration: ["agacement", "frustration"],
    anxiety: ["inquiétude", "anxiety"],
    confusion: ["incompréhension", "confusion"],
    sadness: ["déception", "sadness"],
    satisfaction: ["satisfaction", "satisfaction"],
    gratitude: ["reconnaissance", "gratitude"],
    neutral: ["neutre", "neutral"],
  },
  sentiment: {
    negative: ["négatif", "negative"],
    neutral: ["neutre", "neutral"],
    positive: ["positif", "positive"],
  },
  signal: {
    complaint: ["réclamation", "complaint"],
    churn_threat: ["menace de résiliation", "churn threat"],
    escalation_request: ["demande d'escalade", "escalation request"],
    legal_threat: ["menace juridique", "legal threat"],
    public_exposure: ["exposition publique", "public exposure"],
    urgency: ["urgence", "urgency"],
    irony: ["ironie", "irony"],
    sarcasm: ["marqueur d'ironie", "irony marker"],
  },
  motive: {
    delay: ["retard", "delay"],
    cancellation: ["annulation", "cancellation"],
    lost_or_damaged: ["perte ou avarie", "lost or damaged"],
    defective_product: ["produit défectueux", "defective product"],
    billing_error: ["erreur de facturation", "billing error"],
    unjustified_fees: ["frais injustifiés", "unjustified fees"],
    slow_after_sales: ["SAV trop lent", "slow after-sales"],
    poor_service: ["mauvais service", "poor service"],
    order_or_booking_problem: ["problème de commande ou réservation", "order or booking problem"],
    refund: ["remboursement", "refund"],
    technical_issue: ["problème technique", "technical issue"],
    account_access: ["accès au compte", "account access"],
    waiting_time: ["temps d'attente", "waiting time"],
    other: ["autre", "other"],
  },
  cue: {
    word: ["mot", "word"],
    phrase: ["expression", "phrase"],
    emoji: ["emoji", "emoji"],
    emoticon: ["émoticône", "emoticon"],
    punctuation: ["ponctuation", "punctuation"],
    capitals: ["majuscules", "capitals"],
    elongation: ["allongement", "elongation"],
    negation: ["négation", "negation"],
    intensifier: ["intensif", "intensifier"],
    attenuator: ["atténuateur", "attenuator"],
    contrast: ["contraste", "contrast"],
  },
  behaviour: {
    acknowledgement: ["reconnaissance de l'émotion", "acknowledgement"],
    reformulation: ["reformulation", "reformulation"],
    empathy: ["empathie", "empathy"],
    apology: ["excuses", "apology"],
    explanation: ["explication", "explanation"],
    solution: ["solution concrète", "concrete solution"],
    defensive: ["langage défensif", "defensive language"],
    minimising: ["minimisation", "minimising"],
    jargon: ["jargon", "jargon"],
    scripted: ["script hors sujet", "script instead of an answer"],
    closing_followup: ["suivi en clôture", "closing follow-up"],
    churn_response: ["réponse à la menace de départ", "response to a churn threat"],
    nvc_observation: ["CNV : observation", "NVC: observation"],
    nvc_feeling: ["CNV : sentiment", "NVC: feeling"],
    nvc_need: ["CNV : besoin", "NVC: need"],
    nvc_request: ["CNV : demande", "NVC: request"],
    calming: ["apaisement", "calming"],
    churn_ignored: ["menace de départ sans réponse", "churn threat left unanswered"],
    no_emotional_level: ["émotion du client non prise en compte", "customer's emotion not acknowledged"],
    no_rational_level: ["ni explication ni solution", "no explanation nor solution"],
    no_closing_followup: ["pas de suivi en clôture", "no closing follow-up"],
  },
  channel: {
    chat: ["chat", "chat"],
    email: ["e-mail", "e-mail"],
    social: ["réseau social", "social media"],
    call_transcript: ["transcription d'appel", "call transcript"],
    sms: ["SMS", "SMS"],
    other: ["autre", "other"],
  },
  alert: {
    anger: ["colère ou forte tension", "anger or strong tension"],
    churn_threat: ["menace de résiliation", "churn threat"],
    escalation_request: ["demande de responsable", "asks for a manager"],
    legal_threat: ["menace juridique", "legal threat"],
    public_exposure: ["menace de publicité", "threat to go public"],
    deterioration: ["dégradation", "getting worse"],
  },
  satisfaction: {
    1: ["très insatisfait", "very dissatisfied"],
    2: ["insatisfait", "dissatisfied"],
    3: ["neutre", "neutral"],
    4: ["satisfait", "satisfied"],
    5: ["très satisfait", "very satisfied"],
  },
};

// The agent console's emoticon scale (ressenti/analysis/scale.py), furious (1) to delighted (5).
export const SCALE = [
  { symbol: "😡", level: 1, fr: "furieux", en: "furious" },
  { symbol: "🙁", level: 2, fr: "mécontent", en: "unhappy" },
  { symbol: "😐", level: 3, fr: "neutre", en: "neutral" },
  { symbol: "🙂", level: 4, fr: "satisfait", en: "content" },
  { symbol: "😄", level: 5, fr: "ravi", en: "delighted" },
];

let current = "fr";
const listeners = new Set();

function stored() {
  try {
    const value = sessionStorage.getItem(LANG_KEY);
    return value === "fr" || value === "en" ? value : null;
  } catch {
    return null;
  }
}

/** The page's language: what the person picked with the switch, else their locale, else French. */
export function initLanguage(userLocale) {
  current = stored() || (userLocale === "en" ? "en" : "fr");
  document.documentElement.lang = current;
  return current;
}

export function lang() {
  return current;
}

/** Switch the page to `code` ("fr" or "en"), remember it for this tab, and redraw. */
export function setLanguage(code) {
  if (code !== "fr" && code !== "en") return;
  current = code;
  try {
    sessionStorage.setItem(LANG_KEY, code);
  } catch {
    // private mode: the choice lasts until the page is left
  }
  document.documentElement.lang = code;
  translatePage();
  for (const listener of listeners) listener(code);
}

export function onLanguageChange(listener) {
  listeners.add(listener);
}

/** The string `key` in the page's language, with `{name}` placeholders filled from `values`. */
export function t(key, values = {}) {
  const table = STRINGS[current] || STRINGS.fr;
  const template = key in table ? table[key] : STRINGS.fr[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** A vocabulary term (emotion, signal, motive…) in the page's language; the code itself if unknown. */
export function term(vocabulary, code) {
  const pair = hasTerm(vocabulary, code) ? TERMS[vocabulary][code] : null;
  if (!pair) return code == null ? "" : String(code);
  return current === "en" ? pair[1] : pair[0];
}

export function hasTerm(vocabulary, code) {
  return Boolean(TERMS[vocabulary] && Object.hasOwn(TERMS[vocabulary], code));
}

/** The step of the emoticon scale for a symbol or a level. */
export function scaleStep(symbolOrLevel) {
  return SCALE.find((s) => s.symbol === symbolOrLevel || s.level === symbolOrLevel) || SCALE[2];
}

/** A number for a person: a comma in French. */
export function formatNumber(value, digits = 2) {
  return new Intl.NumberFormat(current === "en" ? "en-GB" : "fr-FR", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: "exceptZero",
  }).format(value);
}

/** A share (0..1) as a percentage for a person: "42 %" in French, "42%" in English. */
export function formatPercent(share) {
  return new Intl.NumberFormat(current === "en" ? "en-GB" : "fr-FR", { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/** A date and time for a person, in the page's language; "—" when missing. */
export function formatTime(iso, withDate = false) {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  const options = withDate
    ? { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }
    : { hour: "2-digit", minute: "2-digit", second: "2-digit" };
  if (!withDate && date.toDateString() !== new Date().toDateString()) {
    Object.assign(options, { day: "numeric", month: "short", second: undefined });
  }
  return new Intl.DateTimeFormat(current === "en" ? "en-GB" : "fr-FR", options).format(date);
}

/** Fill every element marked `data-i18n` (text), `data-i18n-placeholder`, `data-i18n-title`,
 *  `data-i18n-aria-label` with its string; the page's <title> from `data-i18n-title` on <html>. */
export function translatePage(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.setAttribute("placeholder", t(node.dataset.i18nPlaceholder));
  }
  for (const node of root.querySelectorAll("[data-i18n-title]")) {
    if (node === document.documentElement) continue;
    node.setAttribute("title", t(node.dataset.i18nTitle));
  }
  for (const node of root.querySelectorAll("[data-i18n-aria-label]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAriaLabel));
  }
  const pageTitle = document.documentElement.dataset.pageTitle;
  if (pageTitle) document.title = t(pageTitle);
  for (const button of document.querySelectorAll("[data-set-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.setLang === current));
  }
}

/** Wire the header's FR/EN switch (buttons with `data-set-lang`). */
export function wireLanguageSwitch(root = document) {
  for (const button of root.querySelectorAll("[data-set-lang]")) {
    button.addEventListener("click", () => setLanguage(button.dataset.setLang));
  }
}
