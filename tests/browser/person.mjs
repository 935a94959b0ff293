// person.mjs FILE SHOTDIR -- use the page the way a person does, with the
// mouse and the keyboard, and print what is on it after each step:
//   default  the page as opened (screenshot SHOTDIR/default.png)
//   bucket   click the 50k-100k toggle (SHOTDIR/bucket.png)
//   none     click it again
//   range    type 75000 into "from" and 250000 into "to", then Tab
//            (SHOTDIR/range.png)
// Each step prints "step<TAB>NAME", the pressed bucket toggles as
// "pressed<TAB>a,b", then the lines tiles.mjs prints.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, state, settle, print, die } from './lib.mjs';

const [file, shots] = process.argv.slice(2);
if (!file || !shots) die('usage: person.mjs FILE SHOTDIR');
mkdirSync(shots, { recursive: true });
const { page, notes, close } = await open(file);

async function show(name, s) {
	const pressed = await page.$$eval('button[data-bucket][aria-pressed="true"]',
		(bs) => bs.map((b) => b.getAttribute('data-bucket')).join(','));
	process.stdout.write(`step\t${name}\npressed\t${pressed}\n`);
	print(s, notes.splice(0));
}
async function shot(name) {
	await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
async function typeInto(sel, text) {
	await page.click(sel);
	await page.keyboard.press('ControlOrMeta+A');
	await page.keyboard.press('Backspace');
	await page.keyboard.type(text, { delay: 40 });
}

try {
	await show('default', await settle(page, () => true));
	await shot('default');

	const toggle = 'button[data-bucket="50k-100k"]';
	await page.click(toggle);
	await show('bucket', await settle(page, (p) => p.get('bucket') === '50k-100k'));
	await shot('bucket');

	await page.click(toggle);
	await show('none', await settle(page, (p) => !p.get('bucket')));

	await typeInto('#f-min', '75000');
	await typeInto('#f-max', '250000');
	await page.keyboard.press('Tab');
	await show('range', await settle(page,
		(p) => p.get('min') === '75000' && p.get('max') === '250000'));
	await shot('range');
} finally {
	await close();
}
