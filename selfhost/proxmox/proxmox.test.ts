/**
 * The Proxmox Terraform module (docs/operations.md, "Proxmox"): every file is valid HCL (parsed by
 * HashiCorp's own parser, built to WebAssembly: terraform itself is not in the registries this
 * project installs from), every variable it uses is declared, and the roles it creates are the
 * groups the Ansible playbooks expect.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "@cdktf/hcl2json";
import { describe, expect, it } from "vitest";

const HERE = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(HERE).filter((f) => f.endsWith(".tf") || f.endsWith(".tfvars.example"));

describe("Proxmox Terraform module", () => {
  it("parses as HCL, every file, and refuses what is not", async () => {
    expect(files.sort()).toEqual(["main.tf", "outputs.tf", "terraform.tfvars.example", "variables.tf", "versions.tf"]);
    for (const file of files)
      await expect(parse(file, readFileSync(join(HERE, file), "utf8")), file).resolves.toBeTypeOf("object");
    await expect(parse("broken.tf", 'variable "a" {\n  type = string\n')).rejects.toThrow();
  });

  it("declares every variable it uses, and uses the maintained provider", async () => {
    const variables = (await parse("variables.tf", readFileSync(join(HERE, "variables.tf"), "utf8"))) as {
      variable: Record<string, unknown>;
    };
    const declared = new Set(Object.keys(variables.variable));
    const used = new Set<string>();
    for (const file of files.filter((f) => f.endsWith(".tf"))) {
      for (const m of readFileSync(join(HERE, file), "utf8").matchAll(/\bvar\.([a-z_]+)/g)) used.add(m[1] as string);
    }
    for (const name of used) expect(declared, `var.${name}`).toContain(name);
    const example = (await parse("x.tfvars", readFileSync(join(HERE, "terraform.tfvars.example"), "utf8"))) as Record<
      string,
      unknown
    >;
    for (const name of Object.keys(example)) expect(declared, `tfvars ${name}`).toContain(name);
    const versions = readFileSync(join(HERE, "versions.tf"), "utf8");
    expect(versions).toMatch(/source\s+=\s+"bpg\/proxmox"/);
  });

  it("creates the roles the Ansible playbooks deploy to", () => {
    const main = readFileSync(join(HERE, "main.tf"), "utf8");
    const roles = new Set([...main.matchAll(/role = "([a-z]+)"/g)].map((m) => m[1]));
    const site = readFileSync(join(HERE, "../ansible/playbooks/site.yml"), "utf8");
    const groups = new Set([...site.matchAll(/^\s+hosts: ([a-z]+)$/gm)].map((m) => m[1]).filter((g) => g !== "all"));
    expect(roles).toEqual(groups);
    const outputs = readFileSync(join(HERE, "outputs.tf"), "utf8");
    for (const role of roles) expect(outputs).toContain(`"${role}"`);
  });
});
