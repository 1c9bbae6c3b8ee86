#!/usr/bin/env bash
# Takes docs/hawtio.png: Hawtio's Camel routes view of a running Tributary. Not part of the build.
#   usage: TRIBUTARY_HAWTIO_PASSWORD=… docs/screenshot-hawtio.sh [http://localhost:8080]
# Needs Node.js and Debian's chromium (apt-get install -y chromium); playwright-core comes from npm
# into a throwaway folder and drives /usr/bin/chromium headless with a fresh profile.
set -euo pipefail
url=${1:-http://localhost:8080}
out=$(cd "$(dirname "$0")" && pwd)/hawtio.png
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent playwright-core >/dev/null)
cat > "$work/shot.js" <<'JS'
const { chromium } = require('playwright-core');
(async () => {
  const [url, out] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox',
    '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 800 }, httpCredentials: {
    username: process.env.TRIBUTARY_HAWTIO_USERNAME || 'admin', password: process.env.TRIBUTARY_HAWTIO_PASSWORD } });
  const page = await context.newPage();
  await page.goto(url + '/actuator/hawtio/camel/routes', { waitUntil: 'networkidle' });
  await page.getByText('ingest-records').first().waitFor();
  await page.screenshot({ path: out });
  await browser.close();
})();
JS
node "$work/shot.js" "$url" "$out"
echo "wrote $out"
