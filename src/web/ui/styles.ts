// The element's stylesheet (it lives in the element's shadow root, so a host page's CSS
// neither leaks in nor gets overridden).
export const STYLES = /* css */ `
:host {
  --bg: #0d121c;
  --panel: #141b29;
  --panel-2: #1a2334;
  --line: #26324a;
  --text: #dbe3f4;
  --dim: #8a96ad;
  --faint: #5d6880;
  --accent: #ffd166;
  --blue: #4f8cff;
  --green: #35c98a;
  --amber: #f5b942;
  --orange: #ff8a3d;
  --purple: #b18cff;
  --red: #ff6b6b;
  --teal: #39c5cf;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  display: block;
  color: var(--text);
  background: var(--bg);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  border: 1px solid var(--line);
  border-radius: 12px;
  overflow: hidden;
}
* { box-sizing: border-box; }
button, select, input { font: inherit; color: inherit; }
.sim { display: flex; flex-direction: column; gap: 10px; padding: 12px; }

/* header */
.top { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; }
.brand { font-weight: 700; font-size: 15px; letter-spacing: .2px; display: flex; align-items: center; gap: 8px; white-space: nowrap; }
.brand .logo { font-size: 18px; }
.picker { display: flex; align-items: center; gap: 8px; }
.picker select { background: var(--panel-2); border: 1px solid var(--line); border-radius: 8px; padding: 5px 8px; min-width: 190px; }
.desc { color: var(--dim); flex: 1 1 300px; min-width: 200px; }
.modes { display: flex; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.modes button { background: transparent; border: 0; padding: 5px 12px; cursor: pointer; color: var(--dim); }
.modes button[aria-pressed="true"] { background: var(--panel-2); color: var(--text); }

/* controls */
.controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 8px 10px; }
.btn { background: var(--panel-2); border: 1px solid var(--line); border-radius: 8px; padding: 5px 11px; cursor: pointer; display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
.btn:hover:not(:disabled) { border-color: #3b4b6c; background: #202b40; }
.btn:disabled { opacity: .45; cursor: default; }
.btn.primary { background: #233b6b; border-color: #3559a0; }
.btn.primary:hover { background: #2a4780; }
.btn .key { color: var(--faint); font-size: 11px; }
.speed { background: var(--panel-2); border: 1px solid var(--line); border-radius: 8px; padding: 5px 6px; }
.clock { font-family: var(--mono); font-size: 22px; font-variant-numeric: tabular-nums; padding: 0 8px; min-width: 170px; text-align: right; }
.clock .unit { color: var(--dim); font-size: 13px; margin-left: 4px; }
.clock .frac { color: var(--accent); }
.scrub { flex: 1 1 220px; display: flex; flex-direction: column; gap: 2px; min-width: 200px; }
.scrub input { width: 100%; accent-color: var(--accent); }
.scrub .scale { display: flex; justify-content: space-between; font-size: 11px; color: var(--dim); font-family: var(--mono); }
.exports { display: flex; gap: 6px; align-items: center; }
.exports .label { color: var(--dim); font-size: 12px; }
.status { min-height: 20px; color: var(--dim); font-size: 12.5px; font-family: var(--mono); white-space: pre-wrap; }
.status.fault, .banner.fault { color: #ffb3c0; }
.banner { display: none; align-items: center; gap: 12px; padding: 10px 12px; border-radius: 10px; border: 1px solid #7a3347; background: #2a1420; }
.banner.show { display: flex; }
.banner .msg { flex: 1; }

/* layout */
.grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.14fr) minmax(0, .78fr); gap: 10px; align-items: start; }
@media (max-width: 1200px) { .grid { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } .grid .col.io { grid-column: 1 / -1; } }
@media (max-width: 760px) { .grid { grid-template-columns: minmax(0, 1fr); } }
.col { display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; min-width: 0; contain: layout paint; }
/* Boxes that follow their newest line: column-reverse keeps them scrolled to the end with no
   script reading scroll positions (which would force a layout every frame). */
.follow { display: flex; flex-direction: column-reverse; overflow: auto; contain: strict; }
.card h3 { margin: 0 0 8px; font-size: 11.5px; font-weight: 600; letter-spacing: .6px; text-transform: uppercase; color: var(--dim); display: flex; align-items: center; gap: 8px; }
.card h3 .aside { margin-left: auto; text-transform: none; letter-spacing: 0; font-weight: 400; font-family: var(--mono); }
.muted { color: var(--faint); }
.empty { color: var(--faint); font-style: italic; }

/* source */
.source-card { padding: 0; overflow: hidden; }
.source-card h3 { padding: 10px 12px 0; }
.source { font-family: var(--mono); font-size: 12px; line-height: 1.55; max-height: 640px; overflow: auto; padding: 4px 0 10px; margin: 0; tab-size: 2; }
.ln { display: flex; white-space: pre; padding-right: 10px; border-left: 3px solid transparent; position: relative; }
.ln .no { color: var(--faint); width: 3.4em; text-align: right; padding-right: 12px; flex: none; user-select: none; }
.ln .code { flex: 1; }
.ln.task { background: rgba(79, 140, 255, .09); border-left-color: rgba(79, 140, 255, .55); }
.ln.here { background: rgba(255, 209, 102, .16); border-left-color: var(--accent); }
.ln .badge { position: sticky; right: 6px; margin-left: 10px; align-self: center; font-size: 10.5px; font-family: system-ui, sans-serif; padding: 0 7px; border-radius: 9px; background: #2a3a5c; color: #cfe0ff; white-space: nowrap; }
.ln.here .badge { background: var(--accent); color: #1b1400; font-weight: 600; }
.c { color: #6b7894; font-style: italic; }
.s { color: #9ad48a; }
.n { color: #f0a868; }
.k { color: #c792ea; }
.t { color: #7fd3e6; }

/* cpu meter */
.cpu { display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; align-items: center; }
.cpu .big { font-family: var(--mono); font-size: 28px; font-weight: 600; font-variant-numeric: tabular-nums; line-height: 1; }
.cpu .big.busy { color: var(--red); }
.cpu .big.calm { color: var(--teal); }
.meter { height: 14px; border-radius: 7px; background: #1d3a4a; overflow: hidden; position: relative; }
.meter .fill { position: absolute; inset: 0 auto 0 0; background: linear-gradient(90deg, #ff6b6b, #ff8a5c); transition: width .15s linear; }
.cpu .legend { grid-column: 1 / -1; display: flex; gap: 14px; flex-wrap: wrap; font-size: 12px; color: var(--dim); }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 5px; vertical-align: -1px; }
.cpu-state { font-size: 12px; padding: 1px 8px; border-radius: 9px; }
.cpu-state.asleep { background: #163642; color: var(--teal); }
.cpu-state.awake { background: #3d1d22; color: var(--red); }

/* tables */
table { width: 100%; border-collapse: collapse; font-size: 11.5px; }
th { text-align: left; font-weight: 500; color: var(--dim); padding: 3px 5px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 4px 5px; border-bottom: 1px solid rgba(38, 50, 74, .6); white-space: nowrap; font-variant-numeric: tabular-nums; }
td.num { text-align: right; font-family: var(--mono); }
th.num { text-align: right; }
tr.current td { background: rgba(255, 209, 102, .07); }
.table-wrap { overflow-x: auto; }
.state { display: inline-block; font-size: 11px; padding: 0 7px; border-radius: 9px; }
.state.running { background: #3a3413; color: var(--accent); }
.state.scheduled { background: #3a2d10; color: var(--amber); }
.state.idle { background: #1a2a44; color: #8fb4ff; }
.state.done { background: #173626; color: var(--green); }
.fstate { font-family: var(--mono); color: #cfe0ff; }
.split { display: inline-flex; width: 84px; height: 9px; border-radius: 3px; overflow: hidden; background: #1b2436; vertical-align: middle; }
.split i { display: block; height: 100%; }
.split .b { background: var(--red); }
.split .s { background: var(--amber); }
.split .i { background: #34507e; }

/* queues */
.queue { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; min-height: 24px; }
.queue .label { color: var(--dim); font-size: 12px; width: 88px; flex: none; }
.chip { font-family: var(--mono); font-size: 11.5px; padding: 1px 8px; border-radius: 9px; border: 1px solid var(--line); background: var(--panel-2); }
.chip.task { border-color: #3a5a9a; }
.chip.timer { border-color: #5d4a8f; }
.chip.when { color: var(--purple); }
.arrow { color: var(--faint); }
.qrow { display: flex; gap: 10px; align-items: baseline; padding: 3px 0; border-top: 1px solid rgba(38, 50, 74, .6); }
.qrow:first-of-type { border-top: 0; }

/* nvic */
.nvic { display: grid; grid-template-columns: repeat(auto-fill, minmax(74px, 1fr)); gap: 6px; }
.irq { border: 1px solid var(--line); border-radius: 8px; padding: 4px 6px; font: inherit; font-size: 11px; color: inherit; text-align: left; cursor: pointer; background: var(--panel-2); }
.irq:hover { border-color: var(--orange); }
.irq .name { display: block; font-family: var(--mono); }
.irq .meta { display: block; color: var(--faint); font-size: 10.5px; }
.irq.enabled { border-color: #4b3a26; }
.irq.enabled .name { color: var(--orange); }
.irq.pending { border-color: var(--orange); box-shadow: 0 0 0 1px var(--orange) inset; background: #3a2414; }
.irq .flag { float: right; font-size: 10px; color: var(--orange); }

/* peripherals */
.periph { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.led { display: flex; flex-direction: column; align-items: center; gap: 4px; font-size: 11px; color: var(--dim); min-width: 54px; }
.led .bulb { width: 26px; height: 26px; border-radius: 50%; background: radial-gradient(circle at 35% 35%, #4a2626, #261414); border: 1px solid #4c2c2c; }
.led.on .bulb { background: radial-gradient(circle at 35% 35%, #ffd0c0, #ff4d3a 55%, #a3180c); box-shadow: 0 0 14px 4px rgba(255, 77, 58, .55); border-color: #ff8a75; }
.pushbtn { display: flex; flex-direction: column; align-items: center; gap: 4px; font-size: 11px; color: var(--dim); }
.pushbtn button { width: 46px; height: 46px; border-radius: 50%; border: 2px solid #3b4b6c; background: radial-gradient(circle at 40% 35%, #3a4a6c, #1c2538); cursor: pointer; box-shadow: 0 3px 0 #0a0f18; }
.pushbtn button:active, .pushbtn button.down { transform: translateY(2px); box-shadow: 0 1px 0 #0a0f18; background: radial-gradient(circle at 40% 35%, #4a5f8c, #253150); }
.pushbtn .lvl { font-family: var(--mono); }
.bounce { font-size: 11px; color: var(--dim); display: flex; align-items: center; gap: 4px; }
.wave { display: block; }
.sub { margin-top: 10px; }
.sub h4 { margin: 0 0 6px; font-size: 11px; color: var(--dim); font-weight: 600; letter-spacing: .4px; text-transform: uppercase; }
.term { font-family: var(--mono); font-size: 12px; background: #070a10; border: 1px solid var(--line); border-radius: 8px; padding: 8px; height: 120px; white-space: pre-wrap; word-break: break-all; outline: none; cursor: text; }
.term:focus { border-color: #3559a0; }
.term .cursor { display: inline-block; width: 7px; background: var(--accent); animation: blink 1s steps(1) infinite; }
@keyframes blink { 50% { opacity: 0; } }
.term-input { display: flex; gap: 6px; margin-top: 6px; }
.term-input input { flex: 1; background: var(--panel-2); border: 1px solid var(--line); border-radius: 8px; padding: 4px 8px; font-family: var(--mono); }
.sensor { display: flex; flex-direction: column; gap: 4px; }
.sensor .value { font-family: var(--mono); font-size: 18px; }
.sensor input[type=range] { width: 100%; accent-color: var(--teal); }

/* console, events, lints */
.console { font-family: var(--mono); font-size: 12px; height: 130px; }
.console .line { white-space: pre-wrap; }
.console .t { color: var(--faint); font-style: normal; margin-right: 8px; }
.events { font-family: var(--mono); font-size: 11.5px; height: 220px; }
.events .ev { display: grid; grid-template-columns: 96px 116px 1fr; gap: 8px; padding: 1px 0; }
.events .ev .when { color: var(--faint); text-align: right; }
.events .ev .what { color: var(--dim); }
.events .ev-wake .what { color: var(--purple); }
.events .ev-irq .what { color: var(--orange); }
.events .ev-poll .what { color: var(--blue); }
.lint { border: 1px solid #5c4a1f; background: #231d0e; border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; }
.lint.error { border-color: #6d2b3b; background: #26121a; }
.lint .head { font-weight: 600; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.lint .sev { font-family: var(--mono); font-size: 12px; color: var(--amber); }
.lint.error .sev { color: #ff8fa3; }
.lint .msg { margin: 4px 0; }
.lint details { color: var(--dim); font-size: 12px; }
.lint a { color: #8fb4ff; cursor: pointer; text-decoration: underline; }
.ok { color: var(--green); }

/* timeline */
.tl-head { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.legend { display: flex; gap: 12px; flex-wrap: wrap; font-size: 11.5px; color: var(--dim); }
.legend .sw { display: inline-block; width: 14px; height: 8px; border-radius: 2px; margin-right: 5px; vertical-align: 0; }
.tl-tools { margin-left: auto; display: flex; gap: 6px; align-items: center; }
canvas.timeline { width: 100%; display: block; margin-top: 8px; cursor: crosshair; }
.tooltip { position: fixed; pointer-events: none; background: #0a0e17; border: 1px solid #3b4b6c; border-radius: 6px; padding: 4px 8px; font-family: var(--mono); font-size: 11.5px; max-width: 460px; z-index: 10; display: none; }
.two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
@media (max-width: 900px) { .two { grid-template-columns: minmax(0, 1fr); } }

/* side by side */
.compare { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
.compare .chipcol { display: flex; flex-direction: column; gap: 10px; min-width: 0; }
.compare .chiphead { display: flex; align-items: baseline; gap: 10px; }
.compare .chiphead .name { font-family: var(--mono); font-size: 16px; font-weight: 600; white-space: nowrap; }
.compare .cpu .big { font-size: 40px; }
.compare .meter { height: 20px; border-radius: 10px; }
.hidden { display: none !important; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
