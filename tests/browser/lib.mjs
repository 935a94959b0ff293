// lib.mjs -- what tiles.mjs, person.mjs and perf.mjs share: Debian's
// chromium through playwright-core (never a downloaded browser), a fresh
// profile, no network, and the page's state as the DOM contract in
// web/README.md defines it.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.OVERDUE_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
	'--disable-component-update', '--no-first-run'];
const WAIT_MS = Number(process.env.OVERDUE_PAGE_TIMEOUT_MS || 60000);

export function die(msg) {
	process.stderr.write(`${process.argv[1].replace(/.*\//, '')}: ${msg}\n`);
	process.exit(1);
}

// Launch chromium on a fresh user-data-dir; every request that is not for
// the file itself (file:, data:, blob:) is refused and reported, so a page
// that reaches for another host shows it as a `request` line.
export async function open(file, hash = '') {
	if (!existsSync(file)) die(`${file}: no such file`);
	const dir = mkdtempSync(join(tmpdir(), 'overdue-chromium-'));
	const context = await chromium.launchPersistentContext(dir, {
		executablePath: CHROMIUM, headless: true, args: ARGS,
		viewport: { width: 1280, height: 1000 }, locale: 'ru-RU',
		timeout: WAIT_MS,
	});
	const notes = [];
	await context.route('**/*', (route) => {
		const u = route.request().url();
		if (/^(file|data|blob):/.test(u)) return route.continue();
		notes.push(['request', u]);
		return route.abort();
	});
	const page = context.pages()[0] || await context.newPage();
	page.on('pageerror', (e) => notes.push(['pageerror', String(e.message).split('\n')[0]]));
	page.on('console', (m) => {
		if (m.type() === 'error') notes.push(['console', m.text().split('\n')[0]]);
	});
	page.on('dialog', (d) => { notes.push(['dialog', d.message()]); d.dismiss().catch(() => {}); });
	const url = pathToFileURL(resolve(file)).href + (hash ? (hash.startsWith('#') ? hash : '#' + hash) : '');
	await page.goto(url, { waitUntil: 'load', timeout: WAIT_MS });
	await page.waitForFunction(() => {
		const h = document.documentElement;
		return h.hasAttribute('data-ready') || h.hasAttribute('data-error');
	}, null, { timeout: WAIT_MS });
	const close = async () => {
		await context.close().catch(() => {});
		rmSync(dir, { recursive: true, force: true });
	};
	return { page, notes, close };
}

// The page's state: the KPI tiles (data-kpi -> data-value, in page order),
// the flags on <html>, whether the hostile name ran, and location.hash.
export async function state(page) {
	return page.evaluate(() => {
		const h = document.documentElement;
		const attr = (n) => (h.hasAttribute(n) ? h.getAttribute(n) : null);
		return {
			tiles: [...document.querySelectorAll('[data-kpi]')]
				.map((e) => [e.getAttribute('data-kpi'), e.getAttribute('data-value')]),
			ready: attr('data-ready'),
			error: attr('data-error'),
			renderMs: attr('data-render-ms'),
			filterMs: attr('data-filter-ms'),
			xss: typeof window.__xss === 'undefined' ? 'unset' : String(window.__xss),
			hash: location.hash,
		};
	});
}

// Wait until the page has settled after an action: the hash is what the
// caller expects (a predicate over URLSearchParams of the fragment) and the
// tiles and hash have not changed for `quiet` ms.
export async function settle(page, want, quiet = 300) {
	const t0 = Date.now();
	let last = '', since = Date.now();
	for (;;) {
		const s = await state(page);
		const key = JSON.stringify([s.tiles, s.hash]);
		const ok = want(new URLSearchParams(s.hash.replace(/^#/, '')));
		if (key !== last) { last = key; since = Date.now(); }
		if (ok && Date.now() - since >= quiet) return s;
		if (Date.now() - t0 > WAIT_MS) {
			throw new Error(`page did not settle: hash ${JSON.stringify(s.hash)}`);
		}
		await page.waitForTimeout(50);
	}
}

// name<TAB>value lines: the tiles, then ready/error/xss/hash and the page's
// data-render-ms/data-filter-ms, then notes.
export function print(s, notes = []) {
	const out = [];
	for (const [k, v] of s.tiles) out.push(`${k}\t${v ?? ''}`);
	out.push(`ready\t${s.ready ?? ''}`);
	out.push(`error\t${s.error ?? ''}`);
	out.push(`xss\t${s.xss}`);
	out.push(`hash\t${s.hash}`);
	out.push(`render_ms\t${s.renderMs ?? ''}`);
	out.push(`filter_ms\t${s.filterMs ?? ''}`);
	for (const [k, v] of notes) out.push(`${k}\t${String(v).replace(/[\t\n]/g, ' ')}`);
	process.stdout.write(out.join('\n') + '\n');
}

export function median(xs) {
	const v = [...xs].sort((a, b) => a - b);
	return v.length ? v[(v.length - 1) >> 1] : NaN;
}
