/**
 * `--name value` options of a small command-line tool: the names it takes, anything else refused
 * with its usage line (exit 2).
 * @param {string[]} argv
 * @param {string[]} names
 * @param {string} usage
 * @returns {Record<string, string | undefined>}
 */
export function cliOptions(argv, names, usage) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]?.startsWith("--") ? argv[i].slice(2) : undefined;
    const value = argv[i + 1];
    if (!name || !names.includes(name) || value === undefined || value.startsWith("--")) {
      console.error(`unexpected argument "${argv[i]}"\nusage: ${usage}`);
      process.exit(2);
    }
    out[name] = value;
    i++;
  }
  return out;
}
