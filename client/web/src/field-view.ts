/**
 * The field-zone play view: a canvas centred on the player (others interpolated, your own body
 * predicted by the SDK), WASD/arrows or a touch stick to walk, the mouse to aim, a skill bar
 * (keys 1–9 or clicks), your vitals, a DOM list of who is nearby (click one to attack or heal
 * it), floating damage numbers and a death overlay. Wire format: docs/protocol.md, "Field zones".
 * Input is field-input.ts, the DOM around the canvas field-hud.ts, the drawing field-draw.ts.
 */
import type { Vec } from "../../../shared/field/types";
import { resolveSkill } from "../../../shared/rules/skills";
import type { DrawnEntity, FieldEventSeen, FieldWorld, RealmSession } from "../../sdk";
import { h } from "./dom";
import { drawScene, FLOAT_MS, type Flash, type Float } from "./field-draw";
import { createFieldHud } from "./field-hud";
import { bindFieldInput } from "./field-input";
import {
  type Camera,
  cameraScale,
  estimateTick,
  eventLine,
  num,
  planCast,
  skillShape,
  skillState,
  targetsEnemies,
  telegraphKey,
  toWorld,
} from "./field-logic";

/** The nearby list and the vitals are rewritten at most this often. */
const DOM_EVERY_MS = 200;

/** Mounts the field view into `root` (which it fills); returns a function that unmounts it (removes listeners, stops the animation frame). */
export function mountFieldView(
  root: HTMLElement,
  session: RealmSession,
  initialWorld: FieldWorld,
  log: (text: string, kind?: string) => void,
): () => void {
  let world = initialWorld;
  root.classList.add("fv-root");
  const canvas = h("canvas", { class: "fv-canvas", role: "img", "aria-label": "Field map" });
  root.append(canvas);
  const ctx = canvas.getContext("2d");
  const hud = createFieldHud(root, { cast: (id) => castSkill(id), target: (id) => targetEntity(id) });

  let aimSent: Vec | undefined;
  let latest: { tick: number; at: number } | undefined;
  let cam: Camera = { cx: 0, cy: 0, scale: 1, w: 0, h: 0 };
  let drawn: DrawnEntity[] = [];
  let byId = new Map<string, DrawnEntity>();
  let floats: Float[] = [];
  let flashes: Flash[] = [];
  let telegraphStart = new Map<string, number>();
  let lastDom = Number.NEGATIVE_INFINITY;
  let size = { w: 0, h: 0, dpr: 0 };
  let raf = 0;
  const now = () => performance.now();
  const live = () => session.field === world;
  const rate = () => world.info?.tickRate ?? 20;
  const tickNow = (t = now()) => estimateTick(latest, t, rate());
  const mine = () => byId.get(world.info?.you ?? "") ?? (world.me() as DrawnEntity | undefined);
  const firstAttack = () => world.info?.skills.find((s) => targetsEnemies(skillShape(s.id)));

  const input = bindFieldInput(canvas, {
    move: (move) => {
      if (live()) world.setMove(move.x, move.y, now());
    },
    skillOnKey: (n) => world.info?.skills[n - 1]?.id,
    cast: (id) => castSkill(id),
    /** A left click on the map is the first attack, at whatever is nearest the cursor. */
    attack: () => {
      const attack = firstAttack();
      if (attack) castSkill(attack.id);
    },
  });

  function castSkill(id: string, target?: string) {
    const info = world.info;
    const me = mine();
    const skill = info?.skills.find((s) => s.id === id);
    if (!live() || !info || !me || !skill) return;
    const { state } = skillState(skill, me, tickNow(), rate());
    if (state === "mana") log("Not enough mana", "warn");
    if (state !== "ready") return;
    const mouse = input.mouse;
    const cursor = mouse ? toWorld(cam, mouse.x, mouse.y) : undefined;
    const plan = target
      ? { target }
      : planCast(skillShape(id), { id: me.id, x: me.x, y: me.y }, drawn, cursor, skill.range, input.facing);
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
      } else if (e.type === "death" && e.target === you) hud.setDeathTick(e.tick);
      else if (e.type === "respawn" && e.target === you) hud.setDeathTick(undefined);
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
    hud.setDeathTick(undefined);
    aimSent = undefined;
    hud.buildSkills(world.info?.skills ?? []);
    input.reset();
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
    const mouse = input.mouse;
    const aim = mouse ? toWorld(cam, mouse.x, mouse.y) : undefined;
    if (aim && live() && (!aimSent || Math.hypot(aim.x - aimSent.x, aim.y - aimSent.y) >= 2)) {
      aimSent = aim;
      world.setAim(Math.round(aim.x), Math.round(aim.y), t);
    }
    const attack = firstAttack();
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
      stick: input.stick,
    });
    hud.syncSkills(me, tick, rate());
    if (t - lastDom >= DOM_EVERY_MS) {
      lastDom = t;
      hud.syncVitals(me, tick, rate());
      hud.syncNearby(drawn, me);
    }
  }

  bind();
  raf = requestAnimationFrame(frame);

  return () => {
    cancelAnimationFrame(raf);
    for (const off of unbind) off();
    input.remove();
    // Stop walking if this world is still the session's (a new zone's world starts still anyway).
    const moving = input.moveSent;
    if (live() && (moving.x || moving.y)) world.setMove(0, 0, now());
    canvas.remove();
    hud.remove();
    root.classList.remove("fv-root");
  };
}
