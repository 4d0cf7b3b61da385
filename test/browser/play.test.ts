/**
 * The web client in a real Chromium (Debian's, driven by playwright-core), served by the realm
 * itself, tried as a new player would: sign up, create a mage, read the room, walk, pick something
 * up and see it in the inventory panel, hear a second player (on a phone-sized screen) and be seen
 * by it, lose the connection and get it back without a reload, step through the portal into the
 * field zone, cast at a golem and watch its HP drop, and walk back; and another player who picks
 * Español at sign-up reads the world in Spanish. Screenshots of every screen go to
 * test/browser/artifacts/ (kept by CI as test artifacts).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type HarnessRealm, startHarness } from "../support/harness";
import { Relay } from "../support/relay";

const ARTIFACTS = join(import.meta.dirname, "artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let realm: HarnessRealm;
let relay: Relay;
let browser: Browser;
let base: string;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  realm = await startHarness();
  relay = await Relay.start(Number(new URL(realm.baseUrl).port));
  base = `http://127.0.0.1:${relay.port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await relay?.close();
  await realm?.harness.close();
});

/** A fresh browser profile with its console watched: any error or page exception fails the test. */
async function newPlayerPage(label: string, viewport: { width: number; height: number }) {
  const context: BrowserContext = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning")
      problems.push(`${label} console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${label} page error: ${error.message}`));
  return page;
}

const unique = () => Math.random().toString(36).slice(2, 8);
const letters = () =>
  Array.from({ length: 7 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

const PASSWORD = "correct horse battery";

async function signUpAndCreate(page: Page, characterClass: string, screenshot?: string, language?: string) {
  const username = `web${unique()}`;
  await page.goto(`${base}/`);
  await page.getByRole("button", { name: "New here? Create an account" }).click();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  if (language) await page.getByLabel("Language").selectOption({ label: language });
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Your characters" }).waitFor();
  // The randomize button fills a name and a class; the test then picks its own, to find it later.
  await page.getByRole("button", { name: "Randomize" }).click();
  expect(await page.getByLabel("Name").inputValue()).toMatch(/^[A-Z][a-z]+$/);
  const name = `Web${letters()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Class").selectOption(characterClass);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const play = page.getByRole("button", { name: `Play ${name}` });
  await play.waitFor();
  if (screenshot) await shot(page, screenshot);
  await play.click();
  await page.locator("#conn[data-state=online]").waitFor();
  return { name, username };
}

const log = (page: Page) => page.locator("#log");
const typeCommand = async (page: Page, line: string) => {
  await page.locator("#command").fill(line);
  await page.locator("#command").press("Enter");
};
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

/** Holds a key down for `ms` (the field view moves while it is held). */
async function hold(page: Page, key: string, ms: number) {
  await page.keyboard.down(key);
  await page.waitForTimeout(ms);
  await page.keyboard.up(key);
}

describe("the web client in Chromium", () => {
  it("plays the MUD, is seen and heard by a second player, survives a dropped connection, and fights in the field", async () => {
    const alice = await newPlayerPage("desktop", { width: 1280, height: 720 });
    const { name: aliceName } = await signUpAndCreate(alice, "mage", "0-characters");
    await expect.poll(() => log(alice).innerText()).toContain("Lanternmere Square");
    await alice.locator("#exits button[data-exit=north]").waitFor();
    await expect.poll(() => alice.locator("#vitals [data-stat=hp]").getAttribute("data-max")).toMatch(/^\d+$/);
    await shot(alice, "1-mud-desktop");

    // A second player on a phone-sized screen, in the same square.
    const bob = await newPlayerPage("phone", { width: 390, height: 844 });
    await signUpAndCreate(bob, "warrior");
    await expect.poll(() => log(bob).innerText()).toContain("Lanternmere Square");
    await typeCommand(alice, "'hello from the desktop");
    await expect.poll(() => log(bob).innerText()).toContain(`${aliceName} says: hello from the desktop`);

    // Alice walks east by clicking the exit; Bob sees her go.
    await alice.locator("#exits button[data-exit=east]").click();
    await expect.poll(() => log(alice).innerText()).toContain("The Sleeping Lantern");
    await expect.poll(() => log(bob).innerText()).toMatch(new RegExp(`${aliceName}[^\\n]*(leaves|east)`));
    await shot(bob, "2-mud-phone");

    // Not a GM: `~` opens no console.
    await alice.locator("#command").press("~");
    expect(await alice.locator("#dev-console").isHidden()).toBe(true);
    await alice.locator("#command").fill("");

    // Picks up the mug and sees it in the inventory panel.
    await typeCommand(alice, "get mug");
    await expect.poll(() => alice.locator("#inventory").innerText()).toContain("mug");

    // The connection drops; the client reconnects by itself, without a reload, where it stood.
    const cut = relay.cutAll();
    expect(cut).toBeGreaterThan(0);
    await alice.locator("#conn[data-state=reconnecting]").waitFor();
    await shot(alice, "3-reconnecting");
    await alice.locator("#conn[data-state=online]").waitFor({ timeout: 20_000 });
    await typeCommand(alice, "look");
    await expect
      .poll(async () => (await log(alice).innerText()).split("> look").at(-1))
      .toContain("The Sleeping Lantern");

    // Through the tower portal into the field zone, as the same character: the same maximum HP.
    const mudMaxHp = await alice.locator("#vitals [data-stat=hp]").getAttribute("data-max");
    for (const exit of ["west", "north", "portal"]) {
      await alice.locator(`#exits button[data-exit=${exit}]`).click();
      if (exit !== "portal")
        await expect.poll(() => alice.locator(`#exits button[data-exit]`).count()).toBeGreaterThan(0);
    }
    await expect.poll(() => alice.locator("#zone-name").innerText()).toBe("test-area");
    await alice.locator("canvas").waitFor();
    await alice.locator("[data-skill=magic-missile]").waitFor();
    await expect.poll(() => alice.locator(".fv-vitals").getAttribute("data-mhp")).toBe(mudMaxHp);
    // Walk east until a golem is in view, then cast at it from the nearby list and watch its HP drop.
    const golem = alice.locator(".fv-nearby li[data-kind=e]").first();
    for (let i = 0; i < 6 && (await golem.count()) === 0; i++) await hold(alice, "d", 500);
    await golem.waitFor();
    const before = Number(await golem.getAttribute("data-hp"));
    const id = await golem.getAttribute("data-entity-id");
    await golem.click();
    const target = alice.locator(`.fv-nearby li[data-entity-id="${id}"]`);
    await expect
      .poll(async () => Number(await target.getAttribute("data-hp")), { timeout: 10_000 })
      .toBeLessThan(before);
    await shot(alice, "4-field-fight");

    // Back west through the exit in the wall, into the tower steps.
    for (let i = 0; i < 20 && (await alice.locator("#zone-name").innerText()) !== "start"; i++)
      await hold(alice, "a", 500);
    await expect.poll(() => alice.locator("#zone-name").innerText()).toBe("start");
    await expect.poll(() => log(alice).innerText()).toContain("Foot of the Lantern Tower");
    await shot(alice, "5-back-in-the-mud");

    // The phone player goes into the field too: the map and the whole skill bar fit its screen.
    const bobMaxHp = await bob.locator("#vitals [data-stat=hp]").getAttribute("data-max");
    for (const exit of ["north", "portal"]) await bob.locator(`#exits button[data-exit=${exit}]`).click();
    await expect.poll(() => bob.locator("#zone-name").innerText()).toBe("test-area");
    await bob.locator("canvas").waitFor();
    await expect.poll(() => bob.locator(".fv-vitals").getAttribute("data-mhp")).toBe(bobMaxHp);
    const skill = await bob.locator("[data-skill]").last().boundingBox();
    expect(skill && skill.x >= 0 && skill.x + skill.width <= 390).toBe(true);
    const canvas = await bob.locator("canvas").boundingBox();
    expect(canvas && canvas.width > 300 && canvas.height > 200).toBe(true);
    await shot(bob, "6-field-phone");

    expect(problems).toEqual([]);
  }, 180_000);

  it("opens the GM console on ~ for an account with the gm role, whose commands reach the field", async () => {
    const page = await newPlayerPage("gm", { width: 1280, height: 720 });
    const { name, username } = await signUpAndCreate(page, "mage");
    // Roles are granted in the database (docs/admin.md); the next login's token carries them.
    const sql = new pg.Client({ connectionString: inject("databaseUrl") });
    await sql.connect();
    await sql.query("UPDATE accounts SET roles = ARRAY['player','gm'] WHERE username = $1", [username]);
    await sql.end();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: `Play ${name}` }).click();
    await page.locator("#exits button[data-exit=north]").click();
    await page.locator("#exits button[data-exit=portal]").click();
    await expect.poll(() => page.locator("#zone-name").innerText()).toBe("test-area");
    await page.locator("canvas").waitFor();
    await page.locator("#command").focus();
    await page.keyboard.press("~");
    await page.locator("#dev-console").waitFor();
    await page.locator("#dev-input").fill("spawn 2 wisp");
    await page.locator("#dev-input").press("Enter");
    await expect.poll(() => log(page).innerText()).toContain("Spawned 2 wisps.");
    await shot(page, "7-gm-console");
    expect(problems).toEqual([]);
  }, 120_000);

  it("plays in the language picked at sign-up, after a reconnect too, and remembers the pick", async () => {
    const page = await newPlayerPage("spanish", { width: 1280, height: 720 });
    await page.goto(`${base}/`);
    // Offered under their own names; this browser speaks English, so English is preset.
    const language = page.getByLabel("Language");
    expect(await language.locator("option").allInnerTexts()).toEqual(["English", "Español"]);
    expect(await language.inputValue()).toBe("en");
    await signUpAndCreate(page, "warrior", undefined, "Español");
    await expect.poll(() => log(page).innerText()).toContain("Plaza de Lanternmere");
    expect(await log(page).innerText()).not.toContain("Lanternmere Square");
    await shot(page, "8-mud-spanish");

    // The realm keeps no language between connections: the reconnect's hello asks for it again.
    expect(relay.cutAll()).toBeGreaterThan(0);
    await page.locator("#conn[data-state=reconnecting]").waitFor();
    await page.locator("#conn[data-state=online]").waitFor({ timeout: 20_000 });
    await typeCommand(page, "look");
    await expect
      .poll(async () => (await log(page).innerText()).split("> look").at(-1))
      .toContain("Plaza de Lanternmere");

    // Signed out, the form shows the pick again (kept in localStorage).
    await page.getByRole("button", { name: "Sign out" }).click();
    expect(await page.getByLabel("Language").inputValue()).toBe("es");
    expect(problems).toEqual([]);
  }, 120_000);
});
