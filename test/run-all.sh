#!/usr/bin/env bash
# The whole test suite, as `npm test` runs it: vitest (unit + integration) and Playwright (Chromium),
# then one closing line "N passed, N failed" over both. On Linux it runs inside a throwaway
# keyring so the keychain tests use a real Secret Service without touching yours.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname)" = "Linux" ] && [ -z "${WITH_KEYRING_INNER:-}" ] && command -v gnome-keyring-daemon >/dev/null; then
  exec test/helpers/with-keyring.sh "$0" "$@"
fi

# npm puts the project's own Node 24 (the `node` dev dependency) first on the PATH.
echo "Testing on Node $(node --version)"
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json

npx electron-vite build --logLevel warn || exit 1

npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
vitest_status=$?
npx playwright test
playwright_status=$?

node test/helpers/summarize-results.js test-results/vitest.json test-results/playwright.json
summary_status=$?

[ "$vitest_status" -eq 0 ] && [ "$playwright_status" -eq 0 ] && [ "$summary_status" -eq 0 ]
