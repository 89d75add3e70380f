// tests/sql/loader.mjs - a Node module resolution hook for the SQL check: dt-sql-parser
// publishes ES modules with extensionless and directory imports (written for bundlers);
// this resolves them as a bundler would (x -> x.js, dir -> dir/index.js).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function resolve(specifier, context, next) {
  if ((specifier.startsWith('.') || specifier.startsWith('/')) && context.parentURL) {
    const url = new URL(specifier, context.parentURL);
    const path = fileURLToPath(url);
    if (existsSync(path) && statSync(path).isDirectory() && existsSync(path + '/index.js'))
      return next(url.href + '/index.js', context);
    if (!existsSync(path) && existsSync(path + '.js')) return next(url.href + '.js', context);
  }
  return next(specifier, context);
}
