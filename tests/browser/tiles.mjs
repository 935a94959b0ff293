// tiles.mjs FILE [HASH] -- open FILE (with #HASH) in headless chromium and
// print its KPI tiles as name<TAB>value lines, then ready, error, xss
// ("unset" unless the page's data ran as code), hash, render_ms and
// filter_ms (the page's data-render-ms, data-filter-ms), then any
// request/pageerror/console/dialog notes.
import { open, state, print, die } from './lib.mjs';

const [file, hash = ''] = process.argv.slice(2);
if (!file) die('usage: tiles.mjs FILE [HASH]');
const { page, notes, close } = await open(file, hash);
try {
	print(await state(page), notes);
} finally {
	await close();
}
