// The sign-in page: organisation, e-mail, password → a session token in sessionStorage, then the
// console (agents) or the board (supervisors, trainers, admins).

import { api, ApiError, errorText, face, homeFor, saveSession, say, takeNotice } from "./common.js";
import { initLanguage, onLanguageChange, t, translatePage, wireLanguageSwitch } from "./i18n.js";

const form = document.getElementById("login-form");
const error = document.getElementById("login-error");
const submit = document.getElementById("login-submit");
let shown = null; // the key of the message on screen, so that it follows a language switch

function show(key, kind = "error") {
  shown = key ? { key, kind } : null;
  say(error, key ? t(key) : "", kind);
}

for (const level of [1, 2, 3, 4, 5]) document.getElementById("login-scale").append(face(level, { size: 30 }));

initLanguage(null);
translatePage();
wireLanguageSwitch();
onLanguageChange(() => {
  if (shown && shown.key) say(error, t(shown.key), shown.kind);
});

const notice = takeNotice();
if (notice) show(notice, "info");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const organisation = form.organisation.value.trim();
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!organisation || !email || !password) {
    show("login_missing");
    (organisation ? (email ? form.password : form.email) : form.organisation).focus();
    return;
  }
  submit.disabled = true;
  submit.textContent = t("signing_in");
  try {
    const answer = await api("/auth/login", {
      method: "POST",
      body: { organisation, email, password },
      allow401: true,
    });
    saveSession(answer);
    location.assign(homeFor(answer.user?.role));
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 401 || failure.status === 422)) {
      show(failure.status === 401 ? "login_failed" : "login_missing");
    } else {
      shown = null;
      say(error, errorText(failure), "error");
    }
    form.password.value = "";
    form.password.focus();
  } finally {
    submit.disabled = false;
    submit.textContent = t("sign_in");
  }
});
