# Sourced by the bench scripts: starts Debian's nginx on a free loopback port, answering 204 to everything (200 to
# /health) and logging "$msec $status $request_method" per request. Sets $work, $port, $url and reset_log; stops it on exit.
# SINK_BODIES=1 logs each request's body too: nginx reads a body only to pass it on, so a front server then proxies
# to a back one that answers 204.
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install -y --no-install-recommends nginx)" >&2; exit 2; }
work="$(mktemp -d)"
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free)
mkdir -p "$work/logs"
if [ -n "${SINK_BODIES:-}" ]; then
  back=$(free)
  fields='$msec $status $request_method $request_body'
  servers="upstream back { server 127.0.0.1:$back; keepalive 64; }
  server { listen 127.0.0.1:$port; access_log $work/logs/access.log arrivals buffer=256k flush=1s;
           location / { proxy_pass http://back; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }
  server { listen 127.0.0.1:$back; access_log off; location / { return 204; } }"
else
  fields='$msec $status $request_method'
  servers="access_log $work/logs/access.log arrivals buffer=256k flush=1s;
  server { listen 127.0.0.1:$port; location /health { return 200; } location / { return 204; } }"
fi
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 8192; }
http {
  log_format arrivals '$fields';
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_max_body_size 64m;
  client_body_buffer_size 64k;
  $servers
}
NGINX
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
trap 'nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true; rm -rf "$work"' EXIT
url="http://127.0.0.1:$port/event"
sleep 0.5
reset_log() { : >"$work/logs/access.log"; nginx -c "$work/nginx.conf" -p "$work" -s reopen 2>/dev/null; sleep 0.3; }
