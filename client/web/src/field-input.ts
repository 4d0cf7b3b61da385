/**
 * The field view's input (field-view.ts): WASD or the arrows and a touch stick to walk, the mouse
 * over the canvas to aim, keys 1–9 to cast, a left click on the map for the first attack. Held
 * movement is let go when the window loses focus or the page is hidden.
 */
import type { Vec } from "../../../shared/field/types";
import { type Direction, KEY_DIRECTIONS, moveFromKeys, stickMove } from "./field-logic";

export interface FieldInputHooks {
  /** The movement asked for changed (length at most 1). */
  move(move: Vec): void;
  /** The id of the skill on key `n` (1–9), if any. */
  skillOnKey(n: number): string | undefined;
  cast(skillId: string): void;
  /** A left mouse click on the map. */
  attack(): void;
}

export interface FieldInput {
  /** The mouse over the canvas, in CSS pixels, once it has been seen. */
  readonly mouse: Vec | undefined;
  /** The touch stick being dragged, in CSS pixels. */
  readonly stick: { origin: Vec; at: Vec } | undefined;
  /** The movement last asked for. */
  readonly moveSent: Vec;
  /** The way last walked (a unit vector), where a skill goes without a cursor or target. */
  readonly facing: Vec;
  /** Forgets the movement asked for (a new world starts still) and asks again for what is held. */
  reset(): void;
  /** Takes its listeners off. */
  remove(): void;
}

/** Typing in a field (chat, console) must not walk or cast. */
function typing(target: EventTarget | null): boolean {
  const node = (target ?? document.activeElement) as HTMLElement | null;
  if (!node || !(node instanceof HTMLElement)) return false;
  return node.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(node.tagName);
}

/** Listens to the keyboard on the window and to the pointer on `canvas`. */
export function bindFieldInput(canvas: HTMLCanvasElement, hooks: FieldInputHooks): FieldInput {
  const held = new Set<Direction>();
  let stick: { id: number; origin: Vec; at: Vec } | undefined;
  let mouse: Vec | undefined;
  let moveSent: Vec = { x: 0, y: 0 };
  let facing: Vec = { x: 1, y: 0 };

  function updateMove() {
    const keys = moveFromKeys(held);
    const move = keys.x || keys.y ? keys : stick ? stickMove(stick.origin, stick.at) : keys;
    if (move.x === moveSent.x && move.y === moveSent.y) return;
    moveSent = move;
    if (move.x || move.y) facing = { x: move.x / Math.hypot(move.x, move.y), y: move.y / Math.hypot(move.x, move.y) };
    hooks.move(move);
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
    const skill = digit ? hooks.skillOnKey(Number(digit)) : undefined;
    if (skill) {
      e.preventDefault();
      if (!e.repeat) hooks.cast(skill);
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
  const onClick = (e: MouseEvent) => {
    const kind = (e as PointerEvent).pointerType;
    if (e.button !== 0 || (kind && kind !== "mouse")) return;
    hooks.attack();
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
  ];
  for (const [target, type, fn] of listeners) target.addEventListener(type, fn as EventListener);

  return {
    get mouse() {
      return mouse;
    },
    get stick() {
      return stick && { origin: stick.origin, at: stick.at };
    },
    get moveSent() {
      return moveSent;
    },
    get facing() {
      return facing;
    },
    reset() {
      moveSent = { x: 0, y: 0 };
      updateMove();
    },
    remove() {
      for (const [target, type, fn] of listeners) target.removeEventListener(type, fn as EventListener);
    },
  };
}
