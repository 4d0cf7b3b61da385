/** The account's characters: pick one to play, or make a new one (with a randomize button). */
import { classDefinition, classIds } from "../../../shared/rules/classes";
import { type CharacterSummary, type RealmApi, RealmApiError } from "../../sdk";
import { describe } from "./auth";
import { h, mount } from "./dom";

const SYLLABLES = [
  "ka",
  "ri",
  "sel",
  "mor",
  "va",
  "lin",
  "tha",
  "bre",
  "dun",
  "el",
  "ora",
  "quin",
  "zar",
  "fen",
  "ith",
];

/** A pronounceable name of Latin letters (what character names allow), from `random`. */
export function randomName(random: () => number = Math.random): string {
  const count = 2 + Math.floor(random() * 2);
  let name = "";
  for (let i = 0; i < count; i++) name += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
  return name.charAt(0).toUpperCase() + name.slice(1);
}

export async function showCharacters(
  root: HTMLElement,
  api: RealmApi,
  play: (character: CharacterSummary) => void,
  signedOut: () => void,
): Promise<void> {
  const status = h("p", { class: "form-message", role: "status" }, "Loading your characters…");
  const list = h("ul", { class: "characters", id: "character-list", "aria-label": "Your characters" });
  const name = h("input", { id: "character-name", required: true, maxlength: 24, autocomplete: "off" });
  const classes = classIds();
  const select = h(
    "select",
    { id: "character-class" },
    ...classes.map((id) => h("option", { value: id }, classDefinition(id)?.name ?? id)),
  );
  const created = h("p", { class: "form-message", role: "alert", id: "create-message" });
  const randomize = h("button", { type: "button", id: "randomize", class: "secondary" }, "Randomize");
  randomize.addEventListener("click", () => {
    name.value = randomName();
    select.value = classes[Math.floor(Math.random() * classes.length)] ?? select.value;
  });
  const form = h(
    "form",
    { class: "card create", "aria-labelledby": "create-heading" },
    h("h2", { id: "create-heading" }, "New character"),
    h("label", { for: "character-name" }, "Name"),
    name,
    h("label", { for: "character-class" }, "Class"),
    select,
    h("div", { class: "row" }, randomize, h("button", { type: "submit", id: "create-character" }, "Create")),
    created,
  );
  const create = form.querySelector<HTMLButtonElement>("#create-character") as HTMLButtonElement;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (create.disabled) return;
    create.disabled = true;
    created.textContent = "Creating…";
    try {
      const character = await api.createCharacter(name.value, select.value);
      created.textContent = `${character.name} is ready.`;
      name.value = "";
      await refresh();
    } catch (error) {
      created.textContent = describe(error);
    } finally {
      create.disabled = false;
    }
  });

  const refresh = async () => {
    try {
      const characters = await api.characters();
      status.textContent = characters.length ? "" : "No characters yet: make one.";
      mount(
        list,
        ...characters.map((c) =>
          h(
            "li",
            { "data-character-id": c.id },
            h("span", { class: "who" }, h("strong", {}, c.name), ` level ${c.level} ${c.class}`),
            h("button", { type: "button", onclick: () => play(c), "aria-label": `Play ${c.name}` }, "Play"),
          ),
        ),
      );
      (list.querySelector("button") as HTMLButtonElement | null)?.focus();
    } catch (error) {
      // The login ran out (its refresh was refused): back to the sign-in form.
      if (error instanceof RealmApiError && error.status === 401) return signedOut();
      status.textContent = describe(error);
    }
  };

  mount(
    root,
    h(
      "section",
      { class: "screen center" },
      h("div", { class: "card" }, h("h2", {}, "Your characters"), status, list),
      form,
    ),
  );
  await refresh();
  if (!list.childElementCount) name.focus();
}
