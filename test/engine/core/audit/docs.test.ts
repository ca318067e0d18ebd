/** docs/audit-rules.md follows the rule table: a row and a section per rule, with its title and default severity. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../../engine/src/core/audit/rules.js';
import { LINK_CHECKS } from '../../../../engine/src/core/audit/checks.js';

const doc = fs.readFileSync(path.join(__dirname, '../../../../docs/audit-rules.md'), 'utf8');

describe('docs/audit-rules.md and the rule table', () => {
  for (const r of RULES) {
    it(r.id, () => {
      expect(doc).toContain(`| [\`${r.id}\`](#${r.id}) | ${r.severity} |`);
      expect(doc).toContain(`### ${r.id}\n\n**${r.title}.** Default severity: ${r.severity}.`);
      expect(doc).toContain(r.meaning);
      expect(r.name).not.toBe(r.id);
      expect(r.name.toLowerCase()).not.toBe(r.id.toLowerCase());
    });
  }
  it('every link-scope rule has its function; tree rules have none there', () => {
    expect(Object.keys(LINK_CHECKS).sort()).toEqual(
      RULES.filter((r) => r.scope === 'link')
        .map((r) => r.id)
        .sort(),
    );
  });
});
