/**
 * The web client: sign in → characters → play, on the realm that served this page. Built by
 * client/web/build.mjs and served by the gateway (docs/client.md).
 */
import { type CharacterSummary, RealmApi, RealmSession } from "../../sdk";
import { showAuth } from "./auth";
import { showCharacters } from "./characters";
import { byId, h, mount } from "./dom";
import { type PlayScreen, showPlay } from "./play";
import { LocalTokenStore, loadLanguage, rolesOf } from "./storage";

const api = new RealmApi({ baseUrl: location.origin, tokens: new LocalTokenStore() });
const app = byId("app");
const conn = byId("conn");
const zoneName = byId("zone-name");
const signout = byId<HTMLButtonElement>("signout");
let playing: PlayScreen | undefined;

/** The connection state, as words and as `data-state` (the stylesheet colours it). */
function setConnection(state: string, detail?: string) {
  conn.dataset.state = state;
  conn.textContent = state === "online" ? "online" : state === "closed" ? "offline" : `${state}…`;
  conn.title = detail ?? "";
}

function stopPlaying() {
  playing?.leave();
  playing = undefined;
  zoneName.textContent = "";
  setConnection("closed");
}

function home() {
  stopPlaying();
  if (!api.signedIn) {
    signout.hidden = true;
    showAuth(app, api, home);
    return;
  }
  signout.hidden = false;
  void showCharacters(app, api, play, home);
}

async function play(character: CharacterSummary) {
  stopPlaying();
  // Every hello of this session (reconnects and travel too) asks for the player's language.
  const session = new RealmSession({ api, characterId: character.id, language: loadLanguage() });
  const gm = rolesOf(api.tokens.load()?.accessToken).some((r) => r === "gm" || r === "admin");
  playing = showPlay(app, session, character, {
    setZone: (zone) => {
      zoneName.textContent = zone;
    },
    setConnection,
    gm,
  });
  const back = h("button", { type: "button", class: "link", id: "back" }, "Characters");
  back.addEventListener("click", home);
  byId("play").prepend(back);
  const screen = playing;
  try {
    await session.connect();
  } catch (error) {
    // The player left (Characters, Sign out) while it was connecting: nothing to report.
    if (playing !== screen) return;
    stopPlaying();
    mount(
      app,
      h(
        "section",
        { class: "screen center" },
        h(
          "div",
          { class: "card" },
          h("p", { role: "alert" }, `Could not enter the realm: ${(error as Error).message}`),
          h("button", { type: "button", onclick: home }, "Back"),
        ),
      ),
    );
  }
}

signout.addEventListener("click", async () => {
  stopPlaying();
  await api.logout();
  home();
});

home();
