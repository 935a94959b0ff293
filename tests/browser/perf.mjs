// perf.mjs FILE [CLICKS] -- the page's own timings (performance.now()) in
// headless chromium: data-render-ms of the first render, and data-filter-ms
// after each of CLICKS (default 5) clicks on the 50k-100k toggle (on, off,
// on, ...).  Prints render_ms, filter_ms (the median) and filter_ms_all.
import { open, state, median, die } from './lib.mjs';

const [file, n = '5'] = process.argv.slice(2);
if (!file) die('usage: perf.mjs FILE [CLICKS]');
const clicks = Number(n);
const { page, notes, close } = await open(file);
try {
	const s = await state(page);
	if (s.error !== null) die(`data-error: ${s.error}`);
	const times = [];
	for (let i = 0; i < clicks; i++) {
		await page.evaluate(() => document.documentElement.removeAttribute('data-filter-ms'));
		await page.click('button[data-bucket="50k-100k"]');
		const h = await page.waitForFunction(
			() => document.documentElement.getAttribute('data-filter-ms'));
		times.push(Number(await h.jsonValue()));
	}
	process.stdout.write(`render_ms\t${s.renderMs}\nfilter_ms\t${median(times)}\n` +
		`filter_ms_all\t${times.join(' ')}\n`);
	for (const [k, v] of notes) process.stdout.write(`${k}\t${v}\n`);
} finally {
	await close();
}
