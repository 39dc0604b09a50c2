#!/usr/bin/env bash
# Another tool that speaks Toxiproxy against `longrun proxy`: the npm package toxiproxy-node-client (installed
# into a temporary folder) creates a proxy, adds, reads, updates and removes toxics, populates, resets and gets
# an error, while a request goes through the proxy to a small TCP echo server. Prints each step and "ok", or the
# step that failed. Needs node and npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
work="$(mktemp -d)"
cleanup() { [ -n "${ppid_:-}" ] && kill "$ppid_" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent toxiproxy-node-client@4.1.0 >/dev/null)
aport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -jar "$jar" proxy --api "127.0.0.1:$aport" >"$work/proxy.log" 2>&1 &
ppid_=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$aport/version" >/dev/null 2>&1 && break; sleep 0.2; done
cat >"$work/check.js" <<'JS'
const net = require("net");
const { Toxiproxy } = require("toxiproxy-node-client");
const api = process.argv[2];
const step = (what) => console.log("  " + what);
const echo = net.createServer((s) => s.pipe(s)).listen(0, "127.0.0.1");
const roundTrip = (port) => new Promise((resolve, reject) => {
  const t0 = Date.now(), c = net.connect(port, "127.0.0.1", () => c.write("ping"));
  c.on("data", () => { c.end(); resolve(Date.now() - t0); }); c.on("error", reject);
});
(async () => {
  await new Promise((r) => echo.on("listening", r));
  const up = "127.0.0.1:" + echo.address().port;
  const t = new Toxiproxy(api);
  step("version " + (await t.getVersion()).trim());
  const p = await t.createProxy({ name: "db", listen: "127.0.0.1:0", upstream: up });
  const port = Number(p.listen.split(":").pop());
  step("created proxy db on " + p.listen);
  const toxic = await p.addToxic({ type: "latency", attributes: { latency: 300 } });
  step("added toxic " + toxic.name + " " + JSON.stringify(toxic.attributes));
  const ms = await roundTrip(port);
  if (ms < 300) throw new Error("latency not applied: " + ms + " ms");
  step("round trip " + ms + " ms");
  await toxic.update({ attributes: { latency: 50, jitter: 5 } });
  step("updated: " + JSON.stringify((await p.getToxic(toxic.name)).attributes));
  await toxic.remove();
  try { await p.getToxic(toxic.name); throw new Error("the toxic is still there"); }
  catch (e) { if (!/404/.test(String(e.message || e))) throw e; step("removed: reading it back gives " + (e.message || e)); }
  await p.update({ enabled: false, listen: p.listen, upstream: up });
  step("disabled: enabled=" + (await t.get("db")).enabled);
  await t.reset();
  step("reset: enabled=" + (await t.get("db")).enabled);
  const all = await t.populate([{ name: "db", listen: p.listen, upstream: up }, { name: "api", listen: "127.0.0.1:0", upstream: up }]);
  step("populated " + Object.keys(all).join(", ") + "; all: " + Object.keys(await t.getAll()).join(", "));
  try { await t.get("nope"); throw new Error("no error for a missing proxy"); }
  catch (e) { if (!/404/.test(String(e.message || e))) throw e; step("missing proxy: " + (e.message || e)); }
  await (await t.get("api")).remove();
  step("deleted api");
  console.log("ok");
  process.exit(0);
})().catch((e) => { console.log("FAILED: " + (e.stack || e)); process.exit(1); });
JS
echo "toxiproxy-node-client 4.1.0 against longrun proxy:"
(cd "$work" && node check.js "http://127.0.0.1:$aport")
