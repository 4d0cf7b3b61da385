/**
 * The GM console on `~`: a drop-down line for GM commands (spawn, set, teleport…), open only to
 * accounts with the gm or admin role (the zone checks the role again: docs/admin.md).
 */
import { h } from "./dom";

export class DevConsole {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;

  constructor(
    private readonly allowed: boolean,
    run: (line: string) => void,
  ) {
    this.input = h("input", { id: "dev-input", autocomplete: "off", "aria-label": "GM command" });
    const form = h("form", {}, h("label", { for: "dev-input" }, "GM"), this.input);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const line = this.input.value.trim();
      if (line) run(line);
      this.input.value = "";
    });
    this.el = h(
      "div",
      { class: "dev-console", id: "dev-console", hidden: true, role: "dialog", "aria-label": "GM console" },
      form,
    );
    window.addEventListener("keydown", this.onKey);
  }

  dispose(): void {
    window.removeEventListener("keydown", this.onKey);
    this.el.remove();
  }

  private readonly onKey = (event: KeyboardEvent) => {
    // `~` in a field that already holds text is that text; in an empty command line it opens the console.
    const typing = event.target instanceof HTMLInputElement && event.target !== this.input && event.target.value !== "";
    if ((event.key === "~" || event.key === "`") && !typing && this.allowed) {
      event.preventDefault();
      this.el.hidden = !this.el.hidden;
      if (!this.el.hidden) this.input.focus();
    } else if (event.key === "Escape" && !this.el.hidden) {
      this.el.hidden = true;
      // Back to where the player types, not to the page body.
      document.getElementById("command")?.focus();
    }
  };
}
