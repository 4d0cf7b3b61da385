/**
 * The field-zone play view: a canvas centred on the player (others interpolated, your own body
 * predicted by the SDK), WASD/arrows or a touch stick to walk, the mouse to aim, a skill bar
 * (keys 1–9 or clicks), your vitals, a DOM list of who is nearby (click one to attack or heal
 * it), floating damage numbers and a death overlay. Wire format: docs/protocol.md, "Field zones".
 */
import { ticksFor, type Vec } from "../../../shared/field/types";
import { resolveSkill } from "../../../shared/rules/skills";
import type { DrawnEntity, FieldEventSeen, FieldWorld, RealmSession } from "../../sdk";
import {
  byKindAndName,
  type Camera,
  cameraScale,
  type Direction,
  drawScene,
  estimateTick,
  eventLine,
  FLOAT_MS,
  type Flash,
  type Float,
  KEY_DIRECTIONS,
  moveFromKeys,
  num,
  planCast,
  skillShape,
  skillState,
  stickMove,
  targetsEnemies,
  telegraphKey,
  toWorld,
} from "./field-draw";

/** A player respawns this long after dying (docs/protocol.md, "Skills"). */
const RESPAWN_MS = 3000;
/** The nearby list and the vitals are rewritten at most this often. */
const DOM_EVERY_MS = 200;

type SkillInfo = NonNullable<FieldWorld["info"]>["skills"][number];
type SkillSlot = { skill: SkillInfo; button: HTMLButtonElement; cd: HTMLElement; cdText: HTMLElement; key: string };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, parent?: HTMLElement, attrs = {}) {
  const node = document.createElement(tag);
  node.className = cls;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.append(node);
  return node;
}

/** Typing in a field (chat, console) must not walk or cast. */
function typing(target: EventTarget | null): boolean {
  const node = (target ?? document.activeElement) as HTMLElement | null;
  if (!node || !(node instanceof HTMLElement)) return false;
  return node.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(node.tagName);
}

/** Mounts the field view into `root` (which it fills); returns a function that unmounts it (removes listeners, stops the animation frame). */
export function mountFieldView(
  root: HTMLElement,
  session: RealmSession,
  initialWorld: FieldWorld,
  log: (text: string, kind?: string) => void,
): () => void {
  let world = initialWorld;
  root.classList.add("fv-root");
  const canvas = el("canvas", "fv-canvas", root, { role: "img", "aria-label": "Field map" });
  const ctx = canvas.getContext("2d");
  const vitals = el("div", "fv-vitals", root);
  const vName = el("div", "fv-name", vitals);
  const hpBar = bar(vitals, "fv-bar-hp", "Health");
  const mpBar = bar(vitals, "fv-bar-mp", "Mana");
  const vLevel = el("div", "fv-level", vitals);
  const skillBar = el("div", "fv-skills", root, { role: "toolbar", "aria-label": "Skills" });
  const nearby = el("ul", "fv-nearby", root, { "aria-label": "Nearby" });
  const death = el("div", "fv-death", root, { role: "status", "aria-live": "assertive" });
  death.hidden = true;

  const held = new Set<Direction>();
  let stick: { id: number; origin: Vec; at: Vec } | undefined;
  let mouse: Vec | undefined;
  let aimSent: Vec | undefined;
  let moveSent: Vec = { x: 0, y: 0 };
  let facing: Vec = { x: 1, y: 0 };
  let latest: { tick: number; at: number } | undefined;
  let cam: Camera = { cx: 0, cy: 0, scale: 1, w: 0, h: 0 };
  let drawn: DrawnEntity[] = [];
  let byId = new Map<string, DrawnEntity>();
  let floats: Float[] = [];
  let flashes: Flash[] = [];
  let telegraphStart = new Map<string, number>();
  let deathTick: number | undefined;
  let slots: SkillSlot[] = [];
  const items = new Map<string, HTMLLIElement>();
  let lastDom = Number.NEGATIVE_INFINITY;
  let size = { w: 0, h: 0, dpr: 0 };
  let raf = 0;
  const now = () => performance.now();
  const live = () => session.field === world;
  const rate = () => world.info?.tickRate ?? 20;
  const tickNow = (t = now()) => estimateTick(latest, t, rate());
  const mine = () => byId.get(world.info?.you ?? "") ?? (world.me() as DrawnEntity | undefined);

  function bar(parent: HTMLElement, cls: string, label: string) {
    const outer = el("div", `fv-bar ${cls}`, parent, { role: "meter", "aria-label": label, "aria-valuemin": 0 });
    const fill = el("div", "fv-bar-fill", outer);
    const text = el("span", "fv-bar-text", outer);
    return { outer, fill, text };
  }

  function buildSkills() {
    skillBar.replaceChildren();
    slots = (world.info?.skills ?? []).map((skill, i) => {
      const key = i < 9 ? String(i + 1) : "";
      const label = `${skill.name}${key ? ` (key ${key})` : ""}, ${skill.manaCost} mana`;
      const button = el("button", "fv-skill", skillBar, {
        type: "button",
        "data-skill": skill.id,
        "aria-label": label,
      });
      button.title = resolveSkill(skill.id)?.description ?? skill.name;
      el("span", "fv-key", button).textContent = key;
      el("span", "fv-skill-name", button).textContent = skill.name;
      el("span", "fv-cost", button).textContent = `${skill.manaCost} mp`;
      const cd = el("span", "fv-cd", button);
      const cdText = el("span", "fv-cd-text", button);
      button.addEventListener("click", () => castSkill(skill.id));
      return { skill, button, cd, cdText, key: "" };
    });
  }

  function castSkill(id: string, target?: string) {
    const info = world.info;
    const me = mine();
    const skill = info?.skills.find((s) => s.id === id);
    if (!live() || !info || !me || !skill) return;
    const { state } = skillState(skill, me, tickNow(), rate());
    if (state === "mana") log("Not enough mana", "warn");
    if (state !== "ready") return;
    const cursor = mouse ? toWorld(cam, mouse.x, mouse.y) : undefined;
    const plan = target
      ? { target }
      : planCast(skillShape(id), { id: me.id, x: me.x, y: me.y }, drawn, cursor, skill.range, facing);
    world.cast(id, plan);
  }

  /** The nearby list's "target it": an enemy gets the first attack, a player the first heal. */
  function targetEntity(id: string) {
    const entity = byId.get(id);
    const skills = world.info?.skills ?? [];
    const skill = skills.find((s) =>
      entity?.k === "p" ? skillShape(s.id) === "mend" : targetsEnemies(skillShape(s.id)),
    );
    if (!skill) {
      log(entity?.k === "p" ? "You have no skill to help them" : "You have no skill to attack with", "warn");
      return;
    }
    castSkill(skill.id, id);
  }

  function updateMove() {
    const keys = moveFromKeys(held);
    const move = keys.x || keys.y ? keys : stick ? stickMove(stick.origin, stick.at) : keys;
    if (move.x === moveSent.x && move.y === moveSent.y) return;
    moveSent = move;
    if (move.x || move.y) facing = { x: move.x / Math.hypot(move.x, move.y), y: move.y / Math.hypot(move.x, move.y) };
    if (live()) world.setMove(move.x, move.y, now());
  }

  function onEvents(list: FieldEventSeen[]) {
    const you = world.info?.you;
    const t = now();
    const at = (e: FieldEventSeen, id: unknown) => {
      const who = typeof id === "string" ? byId.get(id) : undefined;
      const p = e.at as Partial<Vec> | undefined;
      return who ? { x: who.x, y: who.y } : { x: num(p?.x), y: num(p?.y) };
    };
    const name = (id: unknown) =>
      typeof id !== "string"
        ? "something"
        : String(byId.get(id)?.n ?? world.info?.skills.find((s) => s.id === id)?.name ?? id);
    for (const e of list) {
      if (e.type === "hit" || e.type === "heal" || e.type === "immune") {
        const p = at(e, e.target);
        const heal = e.type === "heal";
        const text = e.type === "immune" ? "immune" : `${heal ? "+" : "-"}${num(e.amount)}`;
        const color = heal ? "#6dff8a" : e.target === you ? "#ff6b6b" : e.type === "immune" ? "#cfd6e4" : "#ffd54f";
        floats.push({ text, x: p.x, y: p.y, color, born: t });
      } else if (e.type === "telegraph") {
        telegraphStart.set(telegraphKey(String(e.by), num(e.hitsAt)), e.tick);
      } else if (e.type === "cast") {
        const rule = resolveSkill(String(e.skill));
        if (rule && (rule.shape === "burst" || rule.shape === "cleave")) {
          const p = at(e, e.by);
          const until = t + Math.max(250, ((num(e.completesAt, e.tick) - e.tick) * 1000) / rate() + 250);
          flashes.push({ x: p.x, y: p.y, r: rule.range, color: "#c89bff", born: t, until });
        }
      } else if (e.type === "death" && e.target === you) deathTick = e.tick;
      else if (e.type === "respawn" && e.target === you) deathTick = undefined;
      const line = eventLine(e, you, name, rate());
      if (line) log(...line);
    }
  }

  let unbind: (() => void)[] = [];
  function bind() {
    for (const off of unbind) off();
    unbind = [
      world.on("snapshot", ({ frame }) => {
        latest = { tick: frame.tick, at: now() };
      }),
      world.on("events", onEvents),
      world.on("field", () => reset()),
    ];
    reset();
  }
  function reset() {
    latest = undefined;
    telegraphStart = new Map();
    deathTick = undefined;
    aimSent = undefined;
    moveSent = { x: 0, y: 0 };
    buildSkills();
    updateMove();
  }

  function resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === size.w && h === size.h && dpr === size.dpr) return;
    size = { w, h, dpr };
    canvas.width = Math.max(1, Math.round(w * dpr));
    canvas.height = Math.max(1, Math.round(h * dpr));
  }

  function syncSkills(me: DrawnEntity | undefined, tick: number | undefined) {
    for (const slot of slots) {
      const s = skillState(slot.skill, me, tick, rate());
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

  function syncVitals(me: DrawnEntity | undefined, tick: number | undefined) {
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
      const left = Math.max(0, Math.ceil((deathTick + ticksFor(RESPAWN_MS, rate()) - tick) / rate()));
      death.textContent = `You died — respawning in ${left} s`;
    } else if (!dead) deathTick = undefined;
    death.hidden = !dead;
  }

  function syncNearby(me: DrawnEntity | undefined) {
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
        li = el("li", "", undefined, { "data-entity-id": e.id, "data-kind": String(e.k) });
        el("button", "fv-target", li, { type: "button", title: e.k === "e" ? "Attack" : "Heal" });
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

  function frame() {
    raf = requestAnimationFrame(frame);
    if (session.field && session.field !== world) {
      // A reconnect or a reloaded zone brings a new world: follow it.
      world = session.field;
      bind();
    }
    const t = now();
    world.advance(t);
    resize();
    const info = world.info;
    if (!ctx || !info) return;
    drawn = world.entities(t);
    byId = new Map(drawn.map((e) => [e.id, e]));
    const me = byId.get(info.you);
    const tick = tickNow(t);
    for (const e of drawn) {
      const tg = e.tg as Record<string, unknown> | undefined;
      if (e.k !== "e" || !tg || typeof tg !== "object") continue;
      const key = telegraphKey(e.id, num(tg.hitsAt));
      if (!telegraphStart.has(key) && tick !== undefined) telegraphStart.set(key, Math.floor(tick));
    }
    if (telegraphStart.size > 64) telegraphStart = new Map([...telegraphStart].slice(-16));
    const { w, h } = size;
    cam = { cx: me?.x ?? info.spawn.x, cy: me?.y ?? info.spawn.y, scale: cameraScale(w, h), w, h };
    const aim = mouse ? toWorld(cam, mouse.x, mouse.y) : undefined;
    if (aim && live() && (!aimSent || Math.hypot(aim.x - aimSent.x, aim.y - aimSent.y) >= 2)) {
      aimSent = aim;
      world.setAim(Math.round(aim.x), Math.round(aim.y), t);
    }
    const attack = info.skills.find((s) => targetsEnemies(skillShape(s.id)));
    const hover =
      attack && me && skillShape(attack.id) === "bolt"
        ? planCast("bolt", { id: me.id, x: me.x, y: me.y }, drawn, aim, attack.range).target
        : undefined;
    floats = floats.filter((f) => t - f.born < FLOAT_MS);
    flashes = flashes.filter((f) => t < f.until);
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    drawScene(ctx, {
      cam,
      width: info.width,
      height: info.height,
      obstacles: info.obstacles,
      entities: drawn,
      you: info.you,
      tick,
      telegraphStart,
      floats,
      flashes,
      now: t,
      hover,
      aim,
      stick: stick && { origin: stick.origin, at: stick.at },
    });
    syncSkills(me, tick);
    if (t - lastDom >= DOM_EVERY_MS) {
      lastDom = t;
      syncVitals(me, tick);
      syncNearby(me);
    }
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    const dir = KEY_DIRECTIONS[e.code];
    if (dir) {
      e.preventDefault();
      held.add(dir);
      updateMove();
      return;
    }
    const digit = /^(?:Digit|Numpad)([1-9])$/.exec(e.code)?.[1];
    const skill = digit ? world.info?.skills[Number(digit) - 1] : undefined;
    if (skill) {
      e.preventDefault();
      if (!e.repeat) castSkill(skill.id);
    }
  };
  const onKeyUp = (e: KeyboardEvent) => {
    const dir = KEY_DIRECTIONS[e.code];
    if (dir && held.delete(dir)) updateMove();
  };
  const stopAll = () => {
    held.clear();
    stick = undefined;
    updateMove();
  };
  const local = (e: PointerEvent): Vec => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const onPointerDown = (e: PointerEvent) => {
    if (e.pointerType === "mouse") {
      mouse = local(e);
      return;
    }
    e.preventDefault();
    stick = { id: e.pointerId, origin: local(e), at: local(e) };
    canvas.setPointerCapture?.(e.pointerId);
    updateMove();
  };
  const onPointerMove = (e: PointerEvent) => {
    if (e.pointerType === "mouse") mouse = local(e);
    else if (stick && e.pointerId === stick.id) {
      stick.at = local(e);
      updateMove();
    }
  };
  const onPointerUp = (e: PointerEvent) => {
    if (stick && e.pointerId === stick.id) {
      stick = undefined;
      updateMove();
    }
  };
  /** A left click on the map is the first attack, at whatever is nearest the cursor. */
  const onClick = (e: MouseEvent) => {
    const kind = (e as PointerEvent).pointerType;
    if (e.button !== 0 || (kind && kind !== "mouse")) return;
    const attack = world.info?.skills.find((s) => targetsEnemies(skillShape(s.id)));
    if (attack) castSkill(attack.id);
  };
  const onNearbyClick = (e: MouseEvent) => {
    const li = (e.target as HTMLElement | null)?.closest?.("li[data-entity-id]") as HTMLLIElement | null;
    if (li?.dataset.entityId) targetEntity(li.dataset.entityId);
  };

  const listeners: [EventTarget, string, (e: never) => void][] = [
    [window, "keydown", onKeyDown],
    [window, "keyup", onKeyUp],
    [window, "blur", stopAll],
    [document, "visibilitychange", () => document.hidden && stopAll()],
    [canvas, "pointerdown", onPointerDown],
    [canvas, "pointermove", onPointerMove],
    [canvas, "pointerup", onPointerUp],
    [canvas, "pointercancel", onPointerUp],
    [canvas, "click", onClick],
    [nearby, "click", onNearbyClick],
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn as EventListener);
  bind();
  raf = requestAnimationFrame(frame);

  return () => {
    cancelAnimationFrame(raf);
    for (const off of unbind) off();
    for (const [target, type, fn] of listeners) target.removeEventListener(type, fn as EventListener);
    // Stop walking if this world is still the session's (a new zone's world starts still anyway).
    if (live() && (moveSent.x || moveSent.y)) world.setMove(0, 0, now());
    for (const node of [canvas, vitals, skillBar, nearby, death]) node.remove();
    root.classList.remove("fv-root");
  };
}
