/**
 * The Ansible roles and playbooks (docs/operations.md, "Proxmox"): every playbook passes
 * `ansible-playbook --syntax-check` against the example inventory, and the inventory Terraform
 * writes has the groups they use.
 */
import { spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const HERE = dirname(fileURLToPath(import.meta.url));
const PLAYBOOKS = ["site", "deploy", "rolling-update", "load-test"];

function ansible(tool: string, args: string[]) {
  const run = spawnSync(tool, args, { cwd: HERE, encoding: "utf8", env: { ...process.env, ANSIBLE_NOCOLOR: "1" } });
  if (run.error) throw new Error(`${tool} did not run (apt-get install ansible-core): ${run.error.message}`);
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("Ansible playbooks", () => {
  it.each(PLAYBOOKS)("%s passes the syntax check", (name) => {
    const check = ansible("ansible-playbook", [
      "--syntax-check",
      "-i",
      "inventory.example.ini",
      `playbooks/${name}.yml`,
    ]);
    expect(check.output).toContain(`playbook: playbooks/${name}.yml`);
    expect(check.output).not.toMatch(/ERROR|WARNING/);
    expect(check.code).toBe(0);
  });

  it("has an example inventory with every group a playbook names", () => {
    const graph = ansible("ansible-inventory", ["-i", "inventory.example.ini", "--graph"]);
    expect(graph.code).toBe(0);
    for (const group of ["realm", "database", "proxy", "monitoring"]) expect(graph.output).toContain(`@${group}:`);
  });
});
