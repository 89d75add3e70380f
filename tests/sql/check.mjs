// tests/sql/check.mjs - every .sql file under the given directories must parse with
// Spark SQL's grammar (dt-sql-parser's SparkSQL, generated from Apache Spark's ANTLR
// grammar). One case per file; a failure names the file and the first syntax error.
// Last line: "N passed, N failed". Usage: node --experimental-loader ./loader.mjs
// check.mjs DIR... (run by check.sh, which finds the installed parser).
import { SparkSQL } from 'dt-sql-parser';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.sql')) files.push(path);
  }
};
for (const dir of process.argv.slice(2)) walk(dir);

const parser = new SparkSQL();
let passed = 0, failed = 0;
for (const file of files) {
  const errors = parser.validate(readFileSync(file, 'utf8'));
  if (errors.length === 0) { passed++; continue; }
  failed++;
  const e = errors[0];
  console.log(`FAIL ${file}:${e.startLine}:${e.startColumn}: ${e.message}`);
}
if (files.length === 0) { console.log('check.mjs: no .sql file found'); failed++; }
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
