/** The scrollback: game text, chat and system lines, capped so a long session stays light. */
import { h } from "./dom";

const MAX_LINES = 1500;

export class GameLog {
  readonly el = h("div", { class: "log", id: "log", role: "log", "aria-live": "polite", tabindex: "0" });

  /** Appends a line (or several, split on newlines); `kind` picks its colour (room, chat, error…). */
  line(text: string, kind = "info", extra?: Node): HTMLElement {
    const stick = this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 40;
    const entry = h("div", { class: `line ${kind}` });
    const parts = text.split("\n");
    parts.forEach((part, i) => {
      if (i > 0) entry.append(h("br"));
      entry.append(part);
    });
    if (extra) entry.append(extra);
    this.el.append(entry);
    while (this.el.childElementCount > MAX_LINES) this.el.firstElementChild?.remove();
    // Only follow the newest line when the reader is already at the bottom (not reading back).
    if (stick) this.el.scrollTop = this.el.scrollHeight;
    return entry;
  }
}
