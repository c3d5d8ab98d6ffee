import { chromium } from '@playwright/test';
const [url, out, scheme, action] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme ?? 'light' });
page.on('console', (m) => m.type() === 'error' && console.log('console:', m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForSelector('.row[data-event-id]');
await page.locator('.row[data-event-id]').nth(14).click();
if (action === 'graph') { await page.getByRole('tab', { name: 'Graph' }).click(); await page.waitForTimeout(1500); }
if (action === 'status') { await page.getByRole('tab', { name: 'Status' }).click(); await page.waitForTimeout(800); }
if (action === 'compare') { await page.getByText('compare with parent').click(); await page.waitForTimeout(2000); }
await page.waitForTimeout(600);
await page.screenshot({ path: out });
await browser.close();
