/**
 * The DOM around the field view's canvas (field-view.ts): your vitals, the skill bar (clicks cast),
 * the list of who is nearby (a click targets one) and the death overlay. Browser tests read its
 * class names and data attributes; styles are set through `element.style` only (the page's CSP).
 */
import { ticksFor } from "../../../shared/field/types";
import { resolveSkill } from "../../../shared/rules/skills";
import type { DrawnEntity, FieldWorld } from "../../sdk";
import { h, mount } from "./dom";
import { byKindAndName, num, skillState } from "./field-logic";

/** A player respawns this long after dying (docs/protocol.md, "Skills"). */
const RESPAWN_MS = 3000;

export type SkillInfo = NonNullable<FieldWorld["info"]>["skills"][number];
type SkillSlot = { skill: SkillInfo; button: HTMLButtonElement; cd: HTMLElement; cdText: HTMLElement; key: string };

export interface FieldHud {
  /** A skill bar for these skills, keys 1–9 on the first nine. */
  buildSkills(skills: readonly SkillInfo[]): void;
  /** Your death's tick from a `death` event, or `undefined` on a respawn or a new world. */
  setDeathTick(tick: number | undefined): void;
  /** Each skill's state and cooldown (cheap: a slot is only touched when it changes). */
  syncSkills(me: DrawnEntity | undefined, tick: number | undefined, tickRate: number): void;
  /** The vitals and the death overlay. */
  syncVitals(me: DrawnEntity | undefined, tick: number | undefined, tickRate: number): void;
  /** The nearby list: every enemy and player but you, in a stable order. */
  syncNearby(drawn: readonly DrawnEntity[], me: DrawnEntity | undefined): void;
  /** Takes its elements off the page and its listeners off them. */
  remove(): void;
}

function meter(cls: string, label: string) {
  const fill = h("div", { class: "fv-bar-fill" });
  const text = h("span", { class: "fv-bar-text" });
  const outer = h(
    "div",
    { class: `fv-bar ${cls}`, role: "meter", "aria-label": label, "aria-valuemin": 0 },
    fill,
    text,
  );
  return { outer, fill, text };
}

/** Appends the HUD to `root`; `cast` gets a skill bar click, `target` a nearby entry's click. */
export function createFieldHud(
  root: HTMLElement,
  on: { cast: (skillId: string) => void; target: (entityId: string) => void },
): FieldHud {
  const vName = h("div", { class: "fv-name" });
  const hpBar = meter("fv-bar-hp", "Health");
  const mpBar = meter("fv-bar-mp", "Mana");
  const vLevel = h("div", { class: "fv-level" });
  const vitals = h("div", { class: "fv-vitals" }, vName, hpBar.outer, mpBar.outer, vLevel);
  const skillBar = h("div", { class: "fv-skills", role: "toolbar", "aria-label": "Skills" });
  const onNearbyClick = (e: Event) => {
    const li = (e.target as HTMLElement | null)?.closest?.("li[data-entity-id]") as HTMLLIElement | null;
    if (li?.dataset.entityId) on.target(li.dataset.entityId);
  };
  const nearby = h("ul", { class: "fv-nearby", "aria-label": "Nearby", onclick: onNearbyClick });
  const death = h("div", { class: "fv-death", role: "status", "aria-live": "assertive", hidden: true });
  root.append(vitals, skillBar, nearby, death);

  let slots: SkillSlot[] = [];
  const items = new Map<string, HTMLLIElement>();
  let deathTick: number | undefined;

  function buildSkills(skills: readonly SkillInfo[]) {
    slots = skills.map((skill, i) => {
      const key = i < 9 ? String(i + 1) : "";
      const cd = h("span", { class: "fv-cd" });
      const cdText = h("span", { class: "fv-cd-text" });
      const button = h(
        "button",
        {
          class: "fv-skill",
          type: "button",
          "data-skill": skill.id,
          "aria-label": `${skill.name}${key ? ` (key ${key})` : ""}, ${skill.manaCost} mana`,
          title: resolveSkill(skill.id)?.description ?? skill.name,
          onclick: () => on.cast(skill.id),
        },
        h("span", { class: "fv-key" }, key),
        h("span", { class: "fv-skill-name" }, skill.name),
        h("span", { class: "fv-cost" }, `${skill.manaCost} mp`),
        cd,
        cdText,
      );
      return { skill, button, cd, cdText, key: "" };
    });
    mount(skillBar, ...slots.map((s) => s.button));
  }

  function syncSkills(me: DrawnEntity | undefined, tick: number | undefined, rate: number) {
    for (const slot of slots) {
      const s = skillState(slot.skill, me, tick, rate);
      const key = `${s.state}:${s.fraction.toFixed(2)}:${s.seconds.toFixed(1)}`;
      if (key === slot.key) continue;
      slot.key = key;
      slot.button.disabled = s.state !== "ready";
      slot.button.dataset.state = s.state;
      slot.cd.style.transform = `scaleY(${s.fraction})`;
      slot.cdText.textContent =
        s.seconds > 0 ? (s.seconds >= 1 ? String(Math.ceil(s.seconds)) : s.seconds.toFixed(1)) : "";
    }
  }

  function syncVitals(me: DrawnEntity | undefined, tick: number | undefined, rate: number) {
    const v = { hp: num(me?.hp), mhp: num(me?.mhp), mp: num(me?.mp), mmp: num(me?.mmp) };
    for (const [k, n] of Object.entries(v)) vitals.dataset[k] = String(n);
    vName.textContent = String(me?.n ?? "");
    for (const [b, now, max] of [[hpBar, v.hp, v.mhp] as const, [mpBar, v.mp, v.mmp] as const]) {
      b.fill.style.width = `${max > 0 ? Math.max(0, Math.min(100, (now / max) * 100)) : 0}%`;
      b.text.textContent = `${now} / ${max}`;
      b.outer.setAttribute("aria-valuenow", String(now));
      b.outer.setAttribute("aria-valuemax", String(max));
    }
    vLevel.textContent = me?.lv !== undefined ? `Level ${num(me.lv)} · ${num(me.xp)} XP` : "";
    const dead = me?.s === "dead";
    if (dead && tick !== undefined) {
      deathTick ??= tick;
      const left = Math.max(0, Math.ceil((deathTick + ticksFor(RESPAWN_MS, rate) - tick) / rate));
      death.textContent = `You died — respawning in ${left} s`;
    } else if (!dead) deathTick = undefined;
    death.hidden = !dead;
  }

  function syncNearby(drawn: readonly DrawnEntity[], me: DrawnEntity | undefined) {
    const wanted = drawn.filter((e) => (e.k === "e" || e.k === "p") && e.id !== me?.id).sort(byKindAndName);
    const keep = new Set(wanted.map((e) => e.id));
    for (const [id, li] of items) {
      if (keep.has(id)) continue;
      li.remove();
      items.delete(id);
    }
    let prev: HTMLLIElement | undefined;
    for (const e of wanted) {
      let li = items.get(e.id);
      if (!li) {
        const button = h("button", { class: "fv-target", type: "button", title: e.k === "e" ? "Attack" : "Heal" });
        li = h("li", { "data-entity-id": e.id, "data-kind": String(e.k) }, button);
        items.set(e.id, li);
      }
      const [hp, mhp] = [String(num(e.hp)), String(num(e.mhp))];
      if (li.dataset.hp !== hp || li.dataset.mhp !== mhp) Object.assign(li.dataset, { hp, mhp });
      li.classList.toggle("fv-dead", e.s === "dead" || num(e.hp) <= 0);
      const text = `${String(e.n ?? e.id)} — ${hp}/${mhp}`;
      const button = li.firstElementChild as HTMLElement;
      if (button.textContent !== text) button.textContent = text;
      // Only moved when out of place, so a focused entry keeps its focus.
      const expected: Element | null = prev ? prev.nextElementSibling : nearby.firstElementChild;
      if (expected !== li) {
        if (prev) prev.after(li);
        else nearby.prepend(li);
      }
      prev = li;
    }
  }

  return {
    buildSkills,
    setDeathTick: (tick) => {
      deathTick = tick;
    },
    syncSkills,
    syncVitals,
    syncNearby,
    remove: () => {
      nearby.removeEventListener("click", onNearbyClick);
      for (const node of [vitals, skillBar, nearby, death]) node.remove();
    },
  };
}
