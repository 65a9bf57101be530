import type { ConfigShape, ServiceConfigDefinition } from './env-var';

/** Markdown table of every variable: name, services, default, meaning. */
export function configTableMarkdown(definitions: readonly ServiceConfigDefinition<ConfigShape>[]): string {
  const rows = new Map<string, { services: string[]; defaults: Set<string>; description: string }>();
  for (const def of definitions) {
    for (const variable of Object.values(def.variables)) {
      const row = rows.get(variable.name) ?? { services: [], defaults: new Set<string>(), description: variable.description };
      row.services.push(def.service);
      row.defaults.add(variable.defaultValue === undefined ? '(required)' : variable.defaultValue === '' ? '(unset)' : `\`${variable.defaultValue}\``);
      rows.set(variable.name, row);
    }
  }
  const lines = ['| variable | services | default | meaning |', '| --- | --- | --- | --- |'];
  for (const [name, row] of [...rows.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const services = row.services.length === definitions.length ? 'all' : row.services.join(', ');
    lines.push(`| \`${name}\` | ${services} | ${[...row.defaults].join(' / ')} | ${row.description.replace(/</g, '&lt;').replace(/>/g, '&gt;')} |`);
  }
  return lines.join('\n');
}
