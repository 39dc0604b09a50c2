# Sourced by the bench scripts that build a report from a synthetic run log (report.sh, verdict.sh), with $1 the
# bench's name: sets $here, $jar (LONGRUN_JAR measures a copy while you rebuild), $HOURS (default 6), $EMITTERS
# (default 3), and a fresh folder $out = runs/bench-NAME-<UTC time>/ holding the log's path $log.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${LONGRUN_JAR:-$here/target/longrun.jar}"
HOURS="${HOURS:-6}"
EMITTERS="${EMITTERS:-3}"
[ -f "$jar" ] || "$here/longrun" --version >/dev/null
out="$here/runs/bench-$1-$(date -u +%Y%m%dT%H%M%SZ)"; mkdir -p "$out"
log="$out/run.jsonl"
