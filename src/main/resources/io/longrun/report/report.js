// Draws one uPlot chart per entry of the report's data. Phases are shaded behind the series, alerts are vertical
// lines in front of them, thresholds horizontal lines. After each draw the chart's element says what it holds:
// data-points (values drawn), data-ink (canvas pixels in the series' colours), data-markers and data-phases.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var PHASE = { warmup: "rgba(250, 176, 5, 0.16)", stage: "rgba(112, 72, 232, 0.08)", ramp: "rgba(31, 111, 235, 0.09)", drain: "rgba(73, 80, 87, 0.12)",
    gap: "rgba(201, 42, 42, 0.14)", baseline: "rgba(43, 138, 62, 0.08)", fault: "rgba(232, 89, 12, 0.13)", recover: "rgba(12, 133, 153, 0.08)" };
  var STATE = { firing: "#c92a2a", resolved: "#2b8a3e", "fault-on": "#e8590c", "fault-off": "#0c8599" };

  // axis ticks: "14:05", "14:05:30", or "01-05 14:05" when the ticks are days apart
  function axisUtc(ts, seconds, date) {
    var iso = new Date(ts * 1e3).toISOString();
    return (date ? iso.slice(5, 10) + " " : "") + iso.slice(11, seconds ? 19 : 16);
  }
  // the legend: "2026-01-05 14:05:30 UTC"
  function fullUtc(ts) {
    var iso = new Date(ts * 1e3).toISOString();
    return iso.slice(0, 10) + " " + iso.slice(11, 19) + " UTC";
  }
  function utc(ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); }

  function fmt(v) {
    if (v == null) return "–";
    var a = Math.abs(v);
    return a >= 1000 ? Math.round(v).toLocaleString("en") : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  }

  function rgb(hex) {
    return [parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)];
  }

  // Pixels of the plot area close to one of the series' colours: proof that lines were drawn, not only axes.
  function ink(u, colors) {
    var bb = u.bbox, w = Math.floor(bb.width), h = Math.floor(bb.height);
    if (w <= 0 || h <= 0) return 0;
    var px = u.ctx.getImageData(Math.round(bb.left), Math.round(bb.top), w, h).data, n = 0;
    for (var i = 0; i < px.length; i += 4) {
      if (px[i + 3] < 128) continue;
      for (var k = 0; k < colors.length; k++) {
        var c = colors[k];
        if (Math.abs(px[i] - c[0]) + Math.abs(px[i + 1] - c[1]) + Math.abs(px[i + 2] - c[2]) < 60) { n++; break; }
      }
    }
    return n;
  }

  function label(ctx, text, x, y, color) {
    ctx.font = Math.round(11 * devicePixelRatio) + "px system-ui, sans-serif";
    ctx.fillStyle = color;
    ctx.fillText(text, x, y);
  }

  function shadePhases(u) {
    var ctx = u.ctx, bb = u.bbox, n = 0;
    ctx.save();
    data.phases.forEach(function (p, i) {
      var a = Math.max(bb.left, u.valToPos(p.from, "x", true)), b = Math.min(bb.left + bb.width, u.valToPos(p.to, "x", true));
      if (!(b > a)) return;
      ctx.fillStyle = PHASE[p.kind] || PHASE.stage;
      ctx.fillRect(a, bb.top, Math.max(1, b - a), bb.height);
      label(ctx, p.label, a + 3 * devicePixelRatio, bb.top + bb.height - (4 + 13 * (i % 3)) * devicePixelRatio, "#868e96");
      n++;
    });
    ctx.restore();
    u.root.parentNode.dataset.phases = n;
  }

  function drawMarks(u, chart) {
    var ctx = u.ctx, bb = u.bbox, markers = 0;
    var el = u.root.parentNode;
    el.dataset.ink = ink(u, chart.series.map(function (s) { return rgb(s.color); }));
    var points = 0;
    for (var s = 1; s < u.data.length; s++) for (var i = 0; i < u.data[s].length; i++) if (u.data[s][i] != null) points++;
    el.dataset.points = points;
    ctx.save();
    chart.hlines.forEach(function (h) {
      var y = u.valToPos(h.value, h.scale, true);
      if (!(y >= bb.top && y <= bb.top + bb.height)) return;
      ctx.strokeStyle = "#c92a2a";
      ctx.lineWidth = devicePixelRatio;
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath(); ctx.moveTo(bb.left, y); ctx.lineTo(bb.left + bb.width, y); ctx.stroke();
      label(ctx, h.label + " " + fmt(h.value), bb.left + 4 * devicePixelRatio, y - 4 * devicePixelRatio, "#c92a2a");
    });
    data.markers.forEach(function (m, i) {
      var x = u.valToPos(m.t, "x", true);
      if (!(x >= bb.left && x <= bb.left + bb.width)) return;
      var color = STATE[m.state] || "#495057";
      ctx.strokeStyle = color;
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.setLineDash([3 * devicePixelRatio, 3 * devicePixelRatio]);
      ctx.beginPath(); ctx.moveTo(x, bb.top); ctx.lineTo(x, bb.top + bb.height); ctx.stroke();
      label(ctx, m.label, x + 3 * devicePixelRatio, bb.top + (12 + 13 * (i % 4)) * devicePixelRatio, color);
      markers++;
    });
    ctx.restore();
    el.dataset.markers = markers;
    el.dataset.drawn = "1";
  }

  data.charts.forEach(function (chart) {
    var el = document.getElementById(chart.id);
    var width = Math.max(480, Math.min(1200, (el.clientWidth || 960) - 8));
    // times in UTC on a 24-hour clock, as the run log writes them (uPlot's default is local am/pm)
    var series = [{ label: "time (UTC)", value: function (u, v) { return v == null ? "" : fullUtc(v); } }].concat(chart.series.map(function (s) {
      var o = { label: s.label, stroke: s.color, width: s.dash ? 1 : 1.6, scale: s.scale, spanGaps: false,
                value: function (u, v) { return fmt(v); }, points: { show: false } };
      if (s.dash) o.dash = [8, 5];
      if (s.bars) { o.paths = uPlot.paths.bars({ size: [0.9, 12] }); o.fill = s.color + "55"; }
      return o;
    }));
    var axes = [{ grid: { stroke: "#f1f3f5" }, space: 80, values: function (u, vals, ax, space, incr) {
                    var t = vals.map(function (v) { return axisUtc(v, incr % 60 !== 0, incr >= 86400); });
                    el.dataset.xticks = t.join(" ");
                    return t; } }, { scale: "y", label: chart.y, grid: { stroke: "#f1f3f5" }, size: 64,
                  values: function (u, vals) { return vals.map(fmt); } }];
    var scales = { x: { time: true }, y: { auto: true } };
    if (chart.y2) {
      axes.push({ scale: "y2", side: 1, label: chart.y2, grid: { show: false }, size: 64, values: function (u, vals) { return vals.map(fmt); } });
      scales.y2 = { auto: true };
    }
    var opts = { width: width, height: 280, tzDate: utc, series: series, axes: axes, scales: scales,
                 legend: { live: true }, cursor: { drag: { x: true, y: false } },
                 hooks: { drawClear: [shadePhases], draw: [function (u) { drawMarks(u, chart); }] } };
    new uPlot(opts, chart.data, el);
  });
  document.body.dataset.charts = data.charts.length;
})();
