/**
 * The side panel of the play screen: vitals, level, effects, inventory and equipment, kept current
 * from `welcome`, `stats`, `stat_update`, `effects` and `inventory` payloads (docs/protocol.md).
 */
import { h, mount } from "./dom";

type Payload = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export class SidePanel {
  readonly el = h("aside", { class: "panel", id: "panel", "aria-label": "Character" });
  private readonly stats: Record<string, number> = {};
  private readonly title = h("h2", { id: "panel-name" });
  private readonly vitals = h("div", { class: "vitals", id: "vitals" });
  private readonly effects = h("ul", { id: "effects", "aria-label": "Effects" });
  private readonly inventory = h("ul", { id: "inventory", "aria-label": "Inventory" });
  private readonly equipment = h("ul", { id: "equipment", "aria-label": "Equipment" });

  constructor() {
    mount(
      this.el,
      this.title,
      this.vitals,
      h("h3", {}, "Effects"),
      this.effects,
      h("h3", {}, "Inventory"),
      this.inventory,
      h("h3", {}, "Equipment"),
      this.equipment,
    );
    this.renderEffects([]);
    this.renderInventory({});
  }

  setName(name: string, detail: string) {
    this.title.textContent = name;
    this.title.title = detail;
  }

  /** Any subset of hp, max_hp, mp, max_mp, level, xp… (a `stat_update` payload, a `stats` answer). */
  updateStats(payload: Payload) {
    for (const [k, v] of Object.entries(payload)) {
      const n = num(v);
      if (n !== undefined) this.stats[k] = n;
    }
    const s = this.stats;
    const bar = (label: string, key: string, now?: number, max?: number) => {
      const fill = h("span", { class: "fill" });
      // Through the CSSOM: the page's CSP refuses style attributes.
      fill.style.width = `${max ? Math.max(0, Math.min(100, ((now ?? 0) / max) * 100)) : 0}%`;
      return h(
        "div",
        { class: `bar ${key}`, "data-stat": key, "data-value": now ?? "", "data-max": max ?? "" },
        h("span", { class: "label" }, `${label} ${now ?? "?"}/${max ?? "?"}`),
        fill,
      );
    };
    mount(
      this.vitals,
      bar("HP", "hp", s.hp, s.max_hp),
      bar("MP", "mp", s.mp, s.max_mp),
      h("p", { class: "level" }, `Level ${s.level ?? "?"} · XP ${s.xp ?? "?"}`),
    );
  }

  renderEffects(effects: unknown[]) {
    const items = effects
      .filter((e): e is Payload => typeof e === "object" && e !== null)
      .map((e) => h("li", {}, String(e.name ?? e.id ?? "effect"), typeof e.kind === "string" ? ` (${e.kind})` : ""));
    mount(this.effects, ...(items.length ? items : [h("li", { class: "empty" }, "none")]));
  }

  /** An `inventory` payload: `items` [{id, name}] (or `carried` names) and `equipped` [{name, slot}]. */
  renderInventory(payload: Payload) {
    const names = Array.isArray(payload.carried)
      ? payload.carried.map(String)
      : Array.isArray(payload.items)
        ? payload.items.map((i) => String((i as Payload).name ?? ""))
        : [];
    const counted = new Map<string, number>();
    for (const n of names) counted.set(n, (counted.get(n) ?? 0) + 1);
    const carried = [...counted].map(([name, count]) =>
      h("li", { "data-item": name }, count > 1 ? `${count} × ${name}` : name),
    );
    mount(this.inventory, ...(carried.length ? carried : [h("li", { class: "empty" }, "nothing")]));
    const worn = Array.isArray(payload.equipped) ? (payload.equipped as Payload[]) : [];
    mount(
      this.equipment,
      ...(worn.length
        ? worn.map((w) => h("li", { "data-slot": String(w.slot ?? "") }, `${w.slot}: ${w.name}`))
        : [h("li", { class: "empty" }, "nothing")]),
    );
  }
}
