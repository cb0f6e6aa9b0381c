// The console's HTML shell: the front door's facts (so the page says what this server is even before,
// or without, JavaScript), the navigation, and the module script that turns it into the console.
// The sign-in page for a shared mock lives here too. Styles are inline: tsc builds the scripts, and a
// page with one script and no stylesheet needs nothing but the mock to render (no CDN, offline).
import { escapeHtml, renderFacts, type FrontDoorInfo } from '../front-door.js';

export const ASSETS_ROUTE = '/__console/assets';
export const SIGN_IN_ROUTE = '/__console/sign-in';

const STYLE = `
:root { --ink: #1d2330; --mute: #5b6475; --line: #e3e6ec; --soft: #f3f4f7; --accent: #3b5bdb; --bad: #c92a2a; --good: #2b8a3e; --warn: #e67700; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; color: var(--ink); display: grid; grid-template-columns: 13rem 1fr; min-height: 100vh; }
nav { background: #1d2330; color: #dfe3ea; padding: 1rem .75rem; }
nav h1 { font-size: 15px; margin: 0 0 .25rem; color: #fff; } nav .sub { color: #9aa3b5; font-size: 12px; margin: 0 0 1rem; }
nav a { display: block; color: #dfe3ea; text-decoration: none; padding: .3rem .5rem; border-radius: 4px; }
nav a:hover, nav a.on { background: #2f3850; color: #fff; }
nav .group { margin: .9rem 0 .2rem .5rem; font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: #8a93a6; }
main { padding: 1rem 1.5rem 3rem; min-width: 0; }
h1, h2, h3 { margin: .2rem 0 .6rem; } h2 { font-size: 18px; } h3 { font-size: 15px; margin-top: 1.2rem; }
.sub { color: var(--mute); }
code, pre { font: 12.5px ui-monospace, monospace; background: var(--soft); border-radius: 4px; }
code { padding: 1px 4px; } pre { padding: .6rem; overflow-x: auto; max-height: 24rem; }
table { border-collapse: collapse; width: 100%; } th { text-align: left; color: var(--mute); font-weight: 600; font-size: 12px; }
td, th { border-top: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; }
tr.row:hover { background: #f7f8fb; cursor: pointer; }
.bar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .5rem 0 .8rem; padding: .5rem; background: var(--soft); border-radius: 6px; }
.bar label { display: flex; gap: .3rem; align-items: center; color: var(--mute); }
input, select, button { font: inherit; padding: .25rem .45rem; border: 1px solid #c5cad6; border-radius: 4px; background: #fff; }
button { cursor: pointer; background: var(--accent); color: #fff; border-color: var(--accent); }
button.quiet { background: #fff; color: var(--ink); border-color: #c5cad6; }
button:disabled { opacity: .5; cursor: default; }
.pill { display: inline-block; padding: 0 .45rem; border-radius: 999px; font-size: 12px; background: #e7ebf5; }
.pill.active, .pill.succeeded, .pill.paid, .pill.approved, .pill.enabled, .pill.ready { background: #d3f9d8; color: var(--good); }
.pill.closed, .pill.failed, .pill.denied, .pill.cancelled, .pill.expired, .pill.disabled { background: #ffe3e3; color: var(--bad); }
.pill.pending, .pill.pending_verification, .pill.needs_details, .pill.under_review, .pill.submitted, .pill.paused, .pill.advancing { background: #fff3bf; color: var(--warn); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: .4rem 1rem; margin-bottom: 1rem; }
.grid div { border-bottom: 1px solid var(--line); padding: .2rem 0; } .grid b { display: block; font-size: 11px; color: var(--mute); font-weight: 600; text-transform: uppercase; }
.msg { padding: .5rem .75rem; border-radius: 6px; margin: .5rem 0; }
.msg.error { background: #fff5f5; border: 1px solid #ffc9c9; color: var(--bad); }
.msg.ok { background: #ebfbee; border: 1px solid #b2f2bb; color: var(--good); }
.key { margin-bottom: 1rem; } .key input { width: 100%; font-size: 12px; }
.timeline li { margin-bottom: .3rem; } .muted { color: var(--mute); font-size: 12px; }
.pager { display: flex; gap: .5rem; margin-top: .6rem; }
details summary { cursor: pointer; }
`;

/** The console: the front door's facts as its home, the shell around them, the app script. */
export function renderConsole(info: FrontDoorInfo): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.name)} console ${escapeHtml(info.version)}</title>
<style>${STYLE}</style>
<script type="module" src="${ASSETS_ROUTE}/main.js"></script>
</head>
<body>
<nav id="nav"><h1>${escapeHtml(info.name)}</h1><p class="sub">sandbox console · ${escapeHtml(info.version)}</p></nav>
<main id="main">
<h1>${escapeHtml(info.name)}</h1>
${renderFacts(info)}
</main>
<script type="application/json" id="facts">${JSON.stringify(info).replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}

/** A shared mock's sign-in: one field for the admin token, posted to set the console's cookie. */
export function renderSignIn(info: FrontDoorInfo, failed: boolean): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(info.name)} console · sign in</title><style>${STYLE} body { display: block; max-width: 30rem; margin: 4rem auto; }</style></head>
<body>
<h1>${escapeHtml(info.name)} console</h1>
<p class="sub">This mock is shared (it listens on a non-loopback address): the console needs the admin token it was started with (<code>--admin-token</code>).</p>
${failed ? '<p class="msg error">That is not the admin token.</p>' : ''}
<form method="post" action="${SIGN_IN_ROUTE}"><input type="password" name="token" autocomplete="current-password" aria-label="admin token" autofocus> <button type="submit">Sign in</button></form>
</body>
</html>
`;
}
