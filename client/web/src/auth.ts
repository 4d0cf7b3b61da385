/** Sign in and sign up. */
import { isSupportedLanguage, LANGUAGE_NAMES, LANGUAGES, type RealmApi, RealmApiError } from "../../sdk";
import { h, mount } from "./dom";
import { loadLanguage, saveLanguage } from "./storage";

export function showAuth(root: HTMLElement, api: RealmApi, signedIn: () => void): void {
  let mode: "signin" | "signup" = "signin";
  const message = h("p", { class: "form-message", role: "alert", id: "auth-message" });
  const username = h("input", {
    id: "username",
    name: "username",
    autocomplete: "username",
    required: true,
    minlength: 3,
    maxlength: 24,
    title: "3–24 letters, digits, _ or -",
  });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
    minlength: 8,
    maxlength: 256,
  });
  const submit = h("button", { type: "submit", id: "auth-submit" }, "Sign in");
  const toggle = h("button", { type: "button", class: "link", id: "auth-toggle" }, "New here? Create an account");
  const heading = h("h2", { id: "auth-heading" }, "Sign in");
  const render = () => {
    heading.textContent = mode === "signin" ? "Sign in" : "Create an account";
    submit.textContent = mode === "signin" ? "Sign in" : "Create account";
    toggle.textContent = mode === "signin" ? "New here? Create an account" : "Have an account? Sign in";
    password.setAttribute("autocomplete", mode === "signin" ? "current-password" : "new-password");
    message.textContent = "";
  };
  toggle.addEventListener("click", () => {
    mode = mode === "signin" ? "signup" : "signin";
    render();
    username.focus();
  });
  const form = h(
    "form",
    { class: "card auth", "aria-labelledby": "auth-heading" },
    heading,
    h("label", { for: "username" }, "Username"),
    username,
    h("label", { for: "password" }, "Password"),
    password,
    h("label", { for: "language" }, "Language"),
    languageSelect(),
    submit,
    message,
    toggle,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    message.textContent = mode === "signin" ? "Signing in…" : "Creating your account…";
    try {
      if (mode === "signup") {
        await api.register(username.value, password.value);
        // The account exists now: a failed login next must be retried as a sign-in, not a sign-up.
        mode = "signin";
        render();
      }
      await api.login(username.value, password.value);
      signedIn();
    } catch (error) {
      message.textContent = describe(error);
    } finally {
      submit.disabled = false;
    }
  });
  mount(root, h("section", { class: "screen center" }, intro(), form));
  username.focus();
}

/**
 * The language the world's text comes in (docs/client.md): every language the realm speaks, under
 * its own name, preset to the remembered or the browser's one. The page's own labels stay English.
 */
function languageSelect(): HTMLSelectElement {
  const select = h(
    "select",
    { id: "language", name: "language" },
    ...LANGUAGES.map((code) => h("option", { value: code, lang: code }, LANGUAGE_NAMES[code])),
  );
  select.value = loadLanguage();
  select.addEventListener("change", () => {
    if (isSupportedLanguage(select.value)) saveLanguage(select.value);
  });
  return select;
}

function intro() {
  return h(
    "div",
    { class: "intro" },
    h("p", {}, "A shared realm of text rooms and real-time fields. Make a character, explore Lanternmere, and fight."),
  );
}

/** A refusal as a player should read it. */
export function describe(error: unknown): string {
  if (error instanceof RealmApiError) {
    if (error.code === "invalid_credentials") return "Wrong username or password.";
    if (error.retryAfter) return `${error.message} (try again in ${error.retryAfter} s)`;
    return error.message;
  }
  if (error instanceof TypeError) return "The realm cannot be reached. Check your connection and try again.";
  return error instanceof Error ? error.message : String(error);
}
