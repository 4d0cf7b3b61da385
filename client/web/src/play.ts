/**
 * The play screen: one RealmSession, shown as a MUD console (rooms, clickable exits) or as the
 * field canvas, with the side panel, the command line (history on ↑/↓), chat and `who`, the GM
 * console on `~`, and the connection state in the top bar. Travel and reconnects happen inside the
 * session: the page never reloads.
 */

import type { ServerMessage } from "../../../shared/protocol/messages";
import type { CharacterSummary, RealmSession } from "../../sdk";
import { DevConsole } from "./dev-console";
import { h, mount } from "./dom";
import { mountFieldView } from "./field-view";
import { GameLog } from "./log";
import { SidePanel } from "./panel";

type Payload = Record<string, unknown>;
/** Answers the page asks for itself to keep the panel current: not printed in the log. */
const PANEL_QUERIES = { inventory: "inventory", stats: "stats", effects: "effects" } as const;
type PanelQuery = keyof typeof PANEL_QUERIES;
/** A panel question not answered within this long is taken as lost. */
const ASK_TIMEOUT_MS = 3_000;

export interface PlayScreen {
  leave(): void;
}

export function showPlay(
  root: HTMLElement,
  session: RealmSession,
  character: CharacterSummary,
  chrome: { setZone(zone: string): void; setConnection(state: string, detail?: string): void; gm: boolean },
): PlayScreen {
  const log = new GameLog();
  const panel = new SidePanel();
  panel.setName(character.name, `level ${character.level} ${character.class}`);
  const fieldRoot = h("div", { class: "field-root", id: "field-root", hidden: true });
  const exits = h("nav", { class: "exits", id: "exits", "aria-label": "Exits" });
  const input = h("input", {
    id: "command",
    autocomplete: "off",
    autocapitalize: "off",
    spellcheck: "false",
    maxlength: 500,
    "aria-label": "Command",
    placeholder: "Type a command (help), or ' to say something",
  });
  const form = h(
    "form",
    { class: "prompt" },
    input,
    h("button", { type: "submit" }, "Send"),
    h("button", { type: "button", id: "who", class: "secondary", onclick: () => session.send({ type: "who" }) }, "Who"),
  );
  const stage = h("div", { class: "stage" }, fieldRoot, log.el, exits);
  mount(root, h("section", { class: "play", id: "play" }, stage, panel.el, form));

  /**
   * The panel's own questions: at most one outstanding per kind (asked when, ms), so a burst of
   * events asks once, and the answer that comes back is not printed. Forgotten when the zone
   * changes or refuses a command, so a lost answer can never swallow one the player asked for.
   */
  const asked: Partial<Record<PanelQuery, number>> = {};
  const ask = (query: PanelQuery) => {
    const at = asked[query];
    if (at !== undefined && performance.now() - at < ASK_TIMEOUT_MS) return;
    asked[query] = performance.now();
    session.command(PANEL_QUERIES[query]);
  };
  const forgetAsks = () => {
    for (const key of Object.keys(asked) as PanelQuery[]) delete asked[key];
  };
  let inField = false;
  let unmountField: (() => void) | undefined;
  const leaveField = () => {
    unmountField?.();
    unmountField = undefined;
    fieldRoot.hidden = true;
    root.querySelector(".play")?.classList.remove("in-field");
    inField = false;
  };

  const history: string[] = [];
  let historyAt = 0;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const line = input.value.trim();
    if (!line) return;
    history.push(line);
    if (history.length > 100) history.shift();
    historyAt = history.length;
    input.value = "";
    send(line);
  });
  const onWindowKey = (event: KeyboardEvent) => {
    if (event.key === "Enter" && document.activeElement === document.body) {
      event.preventDefault();
      input.focus();
    }
  };
  window.addEventListener("keydown", onWindowKey);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      input.blur();
    } else if (event.key === "ArrowUp" && history.length) {
      historyAt = Math.max(0, historyAt - 1);
      input.value = history[historyAt] ?? "";
      event.preventDefault();
    } else if (event.key === "ArrowDown" && history.length) {
      historyAt = Math.min(history.length, historyAt + 1);
      input.value = history[historyAt] ?? "";
      event.preventDefault();
    }
  });

  /** A typed line: `'text` or `/say text` is chat, `/who` asks who is here, the rest is a command. */
  function send(line: string) {
    log.line(`> ${line}`, "echo");
    if (line.startsWith("'")) return session.say(line.slice(1).trim() || "…");
    if (/^\/say\s/i.test(line)) return session.say(line.slice(5).trim());
    if (/^\/?who$/i.test(line)) return session.send({ type: "who" });
    // In a field zone the line is chat unless it is a GM command (`/spawn golem`).
    if (inField && !line.startsWith("/")) return session.say(line);
    session.command(line.replace(/^\//, ""));
  }

  const dev = new DevConsole(chrome.gm, (line) => session.command(line));
  document.body.append(dev.el);

  const offs = [
    session.on("state", ({ state, detail }) => {
      chrome.setConnection(state, detail);
      // After the session ended for good, typing would only fill a queue nobody reads.
      input.disabled = state === "closed";
      if (state === "reconnecting") log.line(`Connection lost (${detail ?? "no reason"}); reconnecting…`, "system");
      if (state === "closed" && detail !== "closed by the player") log.line(`Disconnected: ${detail ?? ""}`, "error");
    }),
    session.on("zone", ({ zone, previous }) => {
      forgetAsks();
      chrome.setZone(zone);
      leaveField();
      if (previous) log.line(`You arrive in ${zone}.`, "system");
    }),
    session.on("frame", (frame) => onFrame(frame)),
  ];

  function onFrame(frame: ServerMessage) {
    switch (frame.type) {
      case "welcome":
        forgetAsks();
        panelPrimed = false;
        if (frame.character) panel.updateStats(frame.character as unknown as Payload);
        log.line(`Connected to ${frame.zone} as ${frame.name}.`, "system");
        for (const said of frame.recent) log.line(`${said.name}: ${said.text}`, "chat old");
        return;
      case "said":
        log.line(`${frame.name} says: ${frame.text}`, "chat");
        return;
      case "joined":
        log.line(`${frame.name} is here.`, "system");
        return;
      case "left":
        log.line(`${frame.name} left.`, "system");
        return;
      case "who":
        log.line(
          `Connected to ${session.zone ?? "this zone"} (${frame.players.length}): ${frame.players.map((p) => p.name).join(", ") || "nobody"}`,
          "who",
        );
        return;
      case "error":
        if (frame.code === "rate_limited" || frame.code === "unsupported") forgetAsks();
        log.line(frame.message, "error");
        return;
      case "weather":
        log.line(`The weather turns: ${frame.weather}.`, "system");
        return;
      case "travel":
        log.line(frame.reason ?? `You travel to ${frame.zone}.`, "system");
        return;
      case "field":
        enterField();
        return;
      case "pong":
      case "snapshot":
        return;
      default:
        onGameEvent(frame);
    }
  }

  function enterField() {
    if (inField || !session.field) return;
    inField = true;
    fieldRoot.hidden = false;
    mount(exits);
    root.querySelector(".play")?.classList.add("in-field");
    // The keys walk now: out of the command line (Enter goes back to it, Escape leaves it again).
    input.blur();
    unmountField = mountFieldView(fieldRoot, session, session.field, (text, kind) => log.line(text, kind ?? "info"));
    const me = session.field.me();
    if (me) panel.updateStats({ hp: me.hp, max_hp: me.mhp, mp: me.mp, max_mp: me.mmp });
  }

  function onGameEvent(frame: { type: string; text: string; payload?: Payload }) {
    const payload = frame.payload ?? {};
    const query = frame.type as PanelQuery;
    if (query in PANEL_QUERIES && asked[query] !== undefined) {
      delete asked[query];
    } else if (frame.text) {
      log.line(frame.text, payload.channel === "party" ? "party" : frame.type);
    }
    switch (frame.type) {
      case "room":
        renderExits(payload);
        if (!panelPrimed) {
          panelPrimed = true;
          ask("stats");
          ask("inventory");
          ask("effects");
        }
        break;
      case "stats":
      case "stat_update":
        panel.updateStats(payload);
        break;
      case "inventory":
        panel.renderInventory(payload);
        break;
      case "effects":
        panel.renderEffects(Array.isArray(payload.effects) ? payload.effects : []);
        break;
      case "item":
        // Only what happened to this character's own things (the room's version names an actor).
        if (typeof payload.action === "string" && payload.actor === undefined) ask("inventory");
        break;
      case "effect_start":
      case "effect_end":
        ask("effects");
        break;
      default:
        break;
    }
  }
  let panelPrimed = false;

  function renderExits(payload: Payload) {
    const names = Array.isArray(payload.exits) ? payload.exits.map(String) : [];
    mount(
      exits,
      ...names.map((exit) =>
        h("button", { type: "button", class: "exit", "data-exit": exit, onclick: () => send(`go ${exit}`) }, exit),
      ),
    );
  }

  input.focus();
  return {
    leave() {
      for (const off of offs) off();
      window.removeEventListener("keydown", onWindowKey);
      leaveField();
      dev.dispose();
      session.close();
    },
  };
}
